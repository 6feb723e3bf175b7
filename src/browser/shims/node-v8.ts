/**
 * node:v8 for the browser bundle of the prover: the heap statistics the layout's memory guard
 * (circuit/heap-guard.ts) reads. Chromium reports its JS heap through performance.memory; elsewhere the
 * limit is unknown and the guard never trips (the browser then stops a tab that runs out of memory).
 */
export function getHeapStatistics(): { used_heap_size: number; heap_size_limit: number } {
  const m = (performance as unknown as { memory?: { usedJSHeapSize: number; jsHeapSizeLimit: number } }).memory;
  return m ? { used_heap_size: m.usedJSHeapSize, heap_size_limit: m.jsHeapSizeLimit } : { used_heap_size: 0, heap_size_limit: Infinity };
}

export function setFlagsFromString(_flag: string): void {}

export default { getHeapStatistics, setFlagsFromString };
