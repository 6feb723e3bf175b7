/**
 * A progress line on stderr (only when stderr is a terminal, so logs and pipes stay clean): the stage, the
 * time spent, and the time left — from the cost model's prediction once the caller has one (`expect`, or
 * `expectedMs` up front), else extrapolated from the stages done so far.
 */
export interface ProgressBar {
  (stage: string, done: number, total: number): void;
  /** The cost model's time for the work from now on: the time left counts down from it. */
  expect(ms: number): void;
}

export function progressBar(label: string, expectedMs?: number): ProgressBar {
  const tty = process.stderr.isTTY;
  const start = performance.now();
  let predicted = expectedMs !== undefined ? { ms: expectedMs, from: start } : undefined;
  const bar = (stage: string, done: number, total: number): void => {
    if (!tty) return;
    const width = 24;
    const frac = Math.min(1, done / Math.max(total, 1));
    const filled = Math.round(width * frac);
    const now = performance.now();
    const elapsed = now - start;
    const left = predicted ? Math.max(0, predicted.ms - (now - predicted.from)) : frac > 0 ? (elapsed * (1 - frac)) / frac : NaN;
    const time = `${(elapsed / 1000).toFixed(1)} s${done < total && Number.isFinite(left) ? `, ~${Math.ceil(left / 1000)} s left` : ''}`;
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${stage.padEnd(18)} ${time.padEnd(20)}`);
    if (done >= total) process.stderr.write('\n');
  };
  return Object.assign(bar, { expect: (ms: number) => void (predicted = { ms, from: performance.now() }) });
}
