/** A progress line on stderr (only when stderr is a terminal, so logs and pipes stay clean). */
export function progressBar(label: string): (stage: string, done: number, total: number) => void {
  const tty = process.stderr.isTTY;
  return (stage, done, total) => {
    if (!tty) return;
    const width = 24;
    const filled = Math.round((width * done) / Math.max(total, 1));
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${stage.padEnd(18)}`);
    if (done >= total) process.stderr.write('\n');
  };
}
