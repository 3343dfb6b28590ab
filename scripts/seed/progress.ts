/** Reports how far a phase has got: `phase`, items done, items in all. */
export type Progress = (phase: string, done: number, total: number) => void;

export const silentProgress: Progress = () => undefined;

/**
 * A one-line progress bar on a stream (stderr by default): `bookings  [######------]  40,000/100,000  40%`.
 * Redrawn at most every 100 ms; on a stream that is not a terminal only each phase's end is printed.
 */
export function progressBar(stream: NodeJS.WriteStream = process.stderr, width = 30): Progress {
  let current = '';
  let lastDraw = 0;
  const tty = stream.isTTY === true;
  return (phase, done, total) => {
    const finished = done >= total;
    const now = Date.now();
    if (phase === current && !finished && now - lastDraw < 100) return;
    if (!tty && !finished) return;
    current = phase;
    lastDraw = now;
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(ratio * width);
    const line =
      `${phase.padEnd(12)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ` +
      `${done.toLocaleString('en')}/${total.toLocaleString('en')} ${String(Math.floor(ratio * 100)).padStart(3)}%`;
    stream.write(tty ? `\r${line}\x1b[K${finished ? '\n' : ''}` : `${line}\n`);
    if (finished) current = '';
  };
}
