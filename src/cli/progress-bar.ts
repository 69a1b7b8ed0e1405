import type { Writable } from 'node:stream';

interface ProgressBar {
  update(done: number, total: number, label: string): void;
  done(): void;
}

const WIDTH = 28;

/** The bar drawn on each stream, so anything else written there first takes it off the line. */
const drawnBars = new WeakMap<Writable, () => void>();

/**
 * A one-line progress bar for long runs (backfills), redrawn in place on a
 * terminal. Piped output and --json get none: a log file or another program
 * wants lines, not carriage returns.
 */
export function progressBar(stream: Writable & { isTTY?: boolean }, enabled: boolean): ProgressBar {
  if (!enabled || !stream.isTTY) return { update: () => undefined, done: () => undefined };
  const clear = () => {
    stream.write('\r\u001b[K');
    drawnBars.delete(stream);
  };
  return {
    update(done, total, label) {
      const filled = total === 0 ? WIDTH : Math.floor((done * WIDTH) / total);
      stream.write(`\r[${'#'.repeat(filled)}${' '.repeat(WIDTH - filled)}] ${done}/${total} ${label}\u001b[K`);
      drawnBars.set(stream, clear);
    },
    done() {
      drawnBars.get(stream)?.();
    },
  };
}

/**
 * Takes a drawn bar off the line before a log line or a message is written to the same stream, so the
 * two are never glued together; the next update draws the bar again below it.
 */
export function clearProgressLine(stream: Writable): void {
  drawnBars.get(stream)?.();
}
