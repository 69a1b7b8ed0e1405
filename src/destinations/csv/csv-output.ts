import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/**
 * The text of a CSV export on its way to `out`: gathered, written in chunks when the export flushes (waiting
 * while `out` is full, so memory does not grow with the export), then `out` ended; on a failure what was
 * gathered before it is written and `out` destroyed. With `endOut` false (process.stdout) `out` is neither.
 */
export class CsvOutput {
  private pending: string;

  constructor(
    private readonly out: Writable,
    private readonly endOut: boolean,
    header: string,
  ) {
    this.pending = header;
  }

  /** Characters gathered since the last flush. */
  get gathered(): number {
    return this.pending.length;
  }

  add(text: string): void {
    this.pending += text;
  }

  async flush(): Promise<void> {
    const chunk = this.pending;
    this.pending = '';
    if (chunk !== '' && !this.out.write(chunk)) await once(this.out, 'drain');
  }

  async end(): Promise<void> {
    if (!this.endOut) return;
    this.out.end();
    await finished(this.out);
  }

  /** Writes what was gathered before `error`, destroys `out`, and rejects with `error`. */
  async fail(error: unknown): Promise<never> {
    await this.flush().catch(() => undefined);
    if (this.endOut) this.out.destroy();
    throw error;
  }
}
