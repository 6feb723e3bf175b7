/**
 * The page's prove panel: model.zkc, pk.bin and one input (input.json, or a zkml .msgpack input) by file
 * picker or drag and drop; Prove sends them to the prover's Web Worker (zkml-prover.js, prover-worker.ts)
 * and shows its progress, the timings, the proof (proof.json, to read or download) and how many threads the
 * kernels used — one per core where the page is cross-origin isolated, one where it is not. The proof is
 * then handed to the verifier panel with the key pk.bin holds. The worker stays for the next proof (its
 * kernels' modules and threads are then warm); one that fails is replaced.
 */
import type { BrowserProveResult } from './prove.ts';
import type { ProverReply } from './prover-worker.ts';
import { $, dropZone } from './dom.ts';

type Slot = 'zkc' | 'pk' | 'input';
const files: Partial<Record<Slot, { name: string; bytes: Uint8Array }>> = {};
let worker: Worker | null = null;
let busy = false;


/** Which file a dropped one is: by extension, else pk.bin's magic 'ZKPK', else an input. */
function slotOf(name: string, bytes: Uint8Array): Slot {
  if (/\.zkc$/i.test(name)) return 'zkc';
  if (/\.bin$/i.test(name) || (bytes[0] === 0x5a && bytes[1] === 0x4b && bytes[2] === 0x50 && bytes[3] === 0x4b)) return 'pk';
  return 'input';
}

function showFiles(): void {
  const label = (s: Slot, what: string) => (files[s] ? `${what}: ${files[s]!.name} (${files[s]!.bytes.length} bytes)` : `${what}: (none)`);
  $('prove-files').textContent = [label('zkc', 'model'), label('pk', 'key'), label('input', 'input')].join(' · ');
  $<HTMLButtonElement>('prove-button').disabled = !(files.zkc && files.pk && files.input) || busy;
}

function threadsNote(): string {
  return globalThis.crossOriginIsolated
    ? `cross-origin isolated: the kernels use ${navigator.hardwareConcurrency || 1} threads (Web Workers on shared memory)`
    : 'not cross-origin isolated: no shared memory, so the kernels run on one thread (serve the page with COOP/COEP headers, as zkml serve-verifier does, for one per core)';
}

function status(state: string, text: string): void {
  const el = $('prove-status');
  el.dataset.status = state;
  el.textContent = text;
}

function proveNow(onProof: (proofText: string, vkBytes: Uint8Array) => Promise<void>): void {
  const { zkc, pk, input } = files;
  if (!zkc || !pk || !input || busy) return;
  const w = (worker ??= new Worker(new URL('./zkml-prover.js', import.meta.url), { type: 'module', name: 'zkml prover' }));
  busy = true;
  showFiles();
  const progress = $<HTMLProgressElement>('prove-progress');
  progress.hidden = false;
  progress.removeAttribute('value');
  status('proving', 'proving…');
  $('prove-time').textContent = '';
  $('proof-text').hidden = true;
  $('proof-download').hidden = true;
  const t0 = performance.now();
  const ac = new AbortController();
  const finish = (failed: boolean) => {
    ac.abort(); // this run's listeners
    if (failed) {
      w.terminate(); // its kernel threads and memory go with it; the next proof starts a fresh one
      worker = null;
    }
    busy = false;
    progress.hidden = true;
    showFiles();
  };
  w.addEventListener(
    'error',
    (e) => {
      finish(true);
      status('error', `the prover failed: ${e.message || 'its script did not load'}`);
    },
    { signal: ac.signal },
  );
  w.addEventListener('message', async (e: MessageEvent<ProverReply>) => {
    const m = e.data;
    if (m.type === 'progress') {
      status('proving', `proving… ${m.stage}${m.total > 1 ? ` (${m.done}/${m.total})` : ''}`);
      if (m.total > 0) {
        progress.max = m.total;
        progress.value = m.done;
      }
      return;
    }
    finish(m.type === 'error' && !m.user);
    if (m.type === 'error') {
      status('error', `${m.user ? '' : `unexpected ${m.name}: `}${m.message}`);
      return;
    }
    await showProof(m.result, performance.now() - t0, onProof);
  }, { signal: ac.signal });
  const input_ = /\.msgpack$/i.test(input.name) ? input.bytes : new TextDecoder().decode(input.bytes);
  w.postMessage({ zkcText: new TextDecoder().decode(zkc.bytes), pkBytes: pk.bytes, input: input_, names: { zkc: zkc.name, pk: pk.name, input: input.name } });
}

async function showProof(r: BrowserProveResult, pageMs: number, onProof: (proofText: string, vkBytes: Uint8Array) => Promise<void>): Promise<void> {
  const text = JSON.stringify(r.proofFile);
  const el = $('prove-status');
  el.dataset.threads = String(r.threads);
  el.dataset.sharedMemory = String(r.sharedMemory);
  el.dataset.proveMs = String(r.timings.prove_ms);
  el.dataset.totalMs = String(r.timings.total_ms);
  el.dataset.msmField = r.msmField;
  el.dataset.stages = JSON.stringify(r.stages);
  status('proven', `proven on ${r.threads} thread${r.threads > 1 ? 's' : ''}`);
  const t = r.timings;
  $('prove-time').textContent =
    `${t.total_ms} ms in the prover's worker (key ${t.pk_read_ms} ms, witness ${t.witness_ms} ms, digest and key ${t.pk_derive_ms} ms, proof ${t.prove_ms} ms); ` +
    `${Math.round(pageMs)} ms for the page; MSM multiplier ${r.msmField === 'f51' ? 'f51 (relaxed-SIMD FMA)' : 'f29 (integer)'}. ` +
    `Stages: ${Object.entries(r.stages).map(([s, ms]) => `${s} ${Math.round(ms)} ms`).join(' · ')}`;
  const pre = $('proof-text');
  pre.textContent = text;
  pre.hidden = false;
  const link = $<HTMLAnchorElement>('proof-download');
  if (link.href.startsWith('blob:')) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  link.hidden = false;
  await onProof(text, r.vkBytes);
}

async function take(file: File, as?: Slot): Promise<void> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  files[as ?? slotOf(file.name, bytes)] = { name: file.name, bytes };
}

/** Wires the panel; `onProof` receives each new proof.json's text and the vk.bin it verifies against. */
export function setupProvePanel(onProof: (proofText: string, vkBytes: Uint8Array) => Promise<void>): void {
  $('isolation').textContent = threadsNote();
  $('isolation').dataset.isolated = String(globalThis.crossOriginIsolated === true);
  for (const [id, slot] of [['zkc-file', 'zkc'], ['pk-file', 'pk'], ['input-file', 'input']] as const) {
    const input = $<HTMLInputElement>(id);
    input.addEventListener('change', async () => {
      const file = input.files?.[0];
      if (!file) return;
      await take(file, slot);
      input.value = '';
      showFiles();
    });
  }
  dropZone($('prove-drop'), (file) => take(file), showFiles);
  $('prove-button').addEventListener('click', () => proveNow(onProof));
  status('ready', '');
  showFiles();
}
