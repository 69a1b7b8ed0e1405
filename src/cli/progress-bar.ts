import type { Writable } from 'node:stream';

export interface ProgressBar {
  update(done: number, total: number, label: string): void;
  done(): void;
}

const WIDTH = 28;

/**
 * A one-line progress bar for long runs (backfills), redrawn in place on a
 * terminal. Piped output and --json get none: a log file or another program
 * wants lines, not carriage returns.
 */
export function progressBar(stream: Writable & { isTTY?: boolean }, enabled: boolean): ProgressBar {
  if (!enabled || !stream.isTTY) return { update: () => undefined, done: () => undefined };
  let drawn = false;
  return {
    update(done, total, label) {
      const filled = total === 0 ? WIDTH : Math.floor((done * WIDTH) / total);
      stream.write(`\r[${'#'.repeat(filled)}${' '.repeat(WIDTH - filled)}] ${done}/${total} ${label}\u001b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\u001b[K');
      drawn = false;
    },
  };
}
