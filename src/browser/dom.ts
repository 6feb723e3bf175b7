/** The page's element lookups and its drop zones (the verifier's and the prove panel's). */

export const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page lacks #${id}`);
  return el as T;
};

/**
 * Marks `zone` while files are dragged over it and hands the dropped files to `take`, one at a time, then
 * calls `after`. The drop stops at the zone (a zone inside another does not feed both).
 */
export function dropZone(zone: HTMLElement, take: (file: File) => Promise<void>, after: () => void | Promise<void>): void {
  for (const ev of ['dragenter', 'dragover'] as const) {
    zone.addEventListener(ev, (e) => {
      e.preventDefault();
      zone.classList.add('over');
    });
  }
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', async (e) => {
    e.preventDefault();
    e.stopPropagation();
    zone.classList.remove('over');
    for (const file of Array.from(e.dataTransfer?.files ?? [])) await take(file);
    await after();
  });
}
