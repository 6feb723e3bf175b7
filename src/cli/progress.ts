/**
 * A progress line on stderr (only when stderr is a terminal, so logs and pipes stay clean): the stage, the
 * time spent, and the time left — from `expectedMs` (the cost model's prediction) when the caller has one,
 * else extrapolated from the stages done so far.
 */
export function progressBar(label: string, expectedMs?: number): (stage: string, done: number, total: number) => void {
  const tty = process.stderr.isTTY;
  const start = performance.now();
  return (stage, done, total) => {
    if (!tty) return;
    const width = 24;
    const frac = Math.min(1, done / Math.max(total, 1));
    const filled = Math.round(width * frac);
    const elapsed = performance.now() - start;
    const left = expectedMs !== undefined ? Math.max(0, expectedMs - elapsed) : frac > 0 ? (elapsed * (1 - frac)) / frac : NaN;
    const time = `${(elapsed / 1000).toFixed(1)} s${done < total && Number.isFinite(left) ? `, ~${Math.ceil(left / 1000)} s left` : ''}`;
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${stage.padEnd(18)} ${time.padEnd(20)}`);
    if (done >= total) process.stderr.write('\n');
  };
}
