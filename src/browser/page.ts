/**
 * The verifier page (index.html): proof.json and vk.bin by file picker or drag and drop, verified in the page
 * (verify.ts), the outcome shown as valid / invalid / unreadable with the reason, the verification time and
 * the proven public values decoded through the verifying key's layout, as `zkml verify` prints them.
 * Plain DOM, no framework. `window.zkmlVerify` exposes verifyProofFile for scripting the page. The prove
 * panel (prove-panel.ts) hands each proof it makes to this verifier, with the key pk.bin holds.
 */
import { verifyProofFile, type BrowserVerifyResult } from './verify.ts';
import { setupProvePanel } from './prove-panel.ts';
import { $, dropZone } from './dom.ts';


const state: { proof?: { name: string; text: string }; vk?: { name: string; bytes: Uint8Array } } = {};
let runs = 0;

/** proof.json or vk.bin: by the name's extension, else by the content (a verifying key starts with 'ZKVK'). */
function isVk(name: string, bytes: Uint8Array): boolean {
  if (/\.json$/i.test(name)) return false;
  if (/\.bin$/i.test(name)) return true;
  return bytes[0] === 0x5a && bytes[1] === 0x4b && bytes[2] === 0x56 && bytes[3] === 0x4b;
}

async function take(file: File, as?: 'proof' | 'vk'): Promise<void> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if ((as ?? (isVk(file.name, bytes) ? 'vk' : 'proof')) === 'vk') state.vk = { name: file.name, bytes };
  else state.proof = { name: file.name, text: new TextDecoder().decode(bytes) };
}

function showFiles(): void {
  const parts = [state.proof ? `proof: ${state.proof.name}` : 'proof: (none)', state.vk ? `key: ${state.vk.name} (${state.vk.bytes.length} bytes)` : 'key: (none)'];
  $('files').textContent = parts.join(' · ');
}

const fmt = (v: number): string => String(+v.toFixed(4));

function show(r: BrowserVerifyResult): void {
  const result = $('result');
  result.dataset.status = r.status;
  result.textContent = r.status;
  $('reason').textContent = r.reason ?? '';
  const time = $('time');
  time.dataset.ms = String(r.verifyMs);
  time.textContent = `${r.status === 'valid' ? 'verified' : 'checked'} in ${r.verifyMs} ms`;
  const table = $<HTMLTableElement>('public');
  const body = table.tBodies[0]!;
  body.replaceChildren();
  for (const p of r.public ?? []) {
    const row = body.insertRow();
    row.dataset.name = p.name;
    row.dataset.kind = p.kind;
    row.dataset.shape = JSON.stringify(p.shape);
    row.dataset.values = JSON.stringify(p.dequantized);
    for (const text of [p.kind, p.name, `[${p.shape.join('×')}]`, `[${p.dequantized.map(fmt).join(', ')}]`]) row.insertCell().textContent = text;
    row.cells[3]!.className = 'values';
  }
  table.hidden = !r.public?.length;
}

async function verifyWhenReady(): Promise<void> {
  showFiles();
  if (!state.proof || !state.vk) return;
  const run = ++runs;
  const result = $('result');
  result.dataset.status = 'verifying';
  result.textContent = 'verifying…';
  $('reason').textContent = '';
  // Let the browser paint "verifying…" before the (synchronous, main-thread) pairing work starts.
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const r = await verifyProofFile(state.proof.text, state.vk.bytes);
  if (run === runs) show(r); // a newer pair of files supersedes this run
}

function onPick(id: string, as: 'proof' | 'vk'): void {
  const input = $<HTMLInputElement>(id);
  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    if (!file) return;
    await take(file, as);
    input.value = ''; // picking the same file again (edited, say) fires 'change' again
    await verifyWhenReady();
  });
}

function setup(): void {
  onPick('proof-file', 'proof');
  onPick('vk-file', 'vk');
  dropZone($('drop'), take, verifyWhenReady);
  // A file dropped outside the zone must not navigate away from the page.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
  $('result').dataset.status = 'ready';
  setupProvePanel(async (text, vkBytes) => {
    state.proof = { name: 'proof.json (proven in this page)', text };
    state.vk = { name: "the key in pk.bin", bytes: vkBytes };
    await verifyWhenReady();
  });
}

(window as unknown as { zkmlVerify: typeof verifyProofFile }).zkmlVerify = verifyProofFile;
setup();
