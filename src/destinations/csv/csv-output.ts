import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * csv-stringify's sync API, loaded when a CSV is first written: every command reaches the export formats through
 * the destination kinds' registry, and `balances` should not load a CSV writer it never calls (as yaml-file.ts).
 */
const csvStringify = () => require('csv-stringify/sync') as typeof import('csv-stringify/sync');

/**
 * How every CSV export is written (DESIGN §5 names csv-stringify): records end in CRLF (RFC 4180), a cell is
 * quoted only when it holds `,` `"` CR or LF (csv-stringify quotes a lone CR or LF too, not only the record
 * delimiter), quotes inside doubled, an empty cell left empty, no byte-order mark. The formula guard is ours
 * (guardFormula), applied to the text cells before they get here, so an amount's "-1.56" stays a number.
 * csvText([['a', 'b,c', 'say "hi"']]) === 'a,"b,c","say ""hi"""\r\n'.
 */
export function csvText(rows: readonly (readonly string[])[]): string {
  return rows.length === 0 ? '' : csvStringify().stringify(rows as string[][], { record_delimiter: '\r\n' });
}

/**
 * The rows of a CSV export on their way to `out`: gathered, turned into text by csv-stringify a batch at a
 * time and written when the export flushes (waiting while `out` is full, so memory does not grow with the
 * export), then `out` ended; on a failure what was gathered before it is written and `out` destroyed. With
 * `endOut` false (process.stdout) `out` is neither.
 */
export class CsvOutput {
  private pending: (readonly string[])[] = [];
  private cells = 0;

  constructor(
    private readonly out: Writable,
    private readonly endOut: boolean,
    header: readonly string[],
  ) {
    this.add(header);
  }

  /** Cells gathered since the last flush. */
  get gathered(): number {
    return this.cells;
  }

  add(row: readonly string[]): void {
    this.pending.push(row);
    this.cells += row.length;
  }

  async flush(): Promise<void> {
    const chunk = csvText(this.pending);
    this.pending = [];
    this.cells = 0;
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
