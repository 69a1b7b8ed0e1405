import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError, LedgerIntegrityError } from '../../../src/errors.js';
import { exportCsv, exportGenericCsv, type ChartAccount } from '../../../src/destinations/csv/index.js';
import type { BookLineRow } from '../../../src/ledger/index.js';
import type { RenderedEntry } from '../../../src/rules/index.js';
import { chart, panelRoundingDay, publisherEarnings, sampleEntries } from './sample-entries.js';

class TextSink extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString('utf8');
    callback();
  }
}

/** The entries as the ledger's rows give them (an entry with no line gives none), `rowsPerChunk` at a time. */
async function* chunksOf(entries: readonly RenderedEntry[], rowsPerChunk: number): AsyncGenerator<BookLineRow[]> {
  let chunk: BookLineRow[] = [];
  for (const entry of entries) {
    for (const line of entry.lines) {
      chunk.push([
        entry.id,
        entry.date,
        entry.sourceId,
        entry.description,
        JSON.stringify(entry.eventIds),
        line.account,
        line.currency,
        line.cents,
        line.description ?? null,
      ]);
      if (chunk.length === rowsPerChunk) {
        yield chunk;
        chunk = [];
      }
    }
  }
  if (chunk.length > 0) yield chunk;
}

type Outcome = { text: string; entries?: number; lines?: number; error?: unknown };

async function both(
  entries: readonly RenderedEntry[],
  accounts: Readonly<Record<string, ChartAccount>> = chart,
  rowsPerChunk = 3,
): Promise<{ generic: Outcome; rows: Outcome }> {
  const viaEntries = new TextSink();
  const viaRows = new TextSink();
  const generic = await exportCsv({
    format: 'generic',
    entries,
    out: viaEntries,
    mappings: { chart: accounts },
    endOut: false,
  }).then(
    (written) => ({ text: viaEntries.text, ...written }),
    (error: unknown) => ({ text: viaEntries.text, error }),
  );
  const rows = await exportGenericCsv({
    chunks: chunksOf(entries, rowsPerChunk),
    out: viaRows,
    chart: accounts,
    endOut: false,
  }).then(
    (written) => ({ text: viaRows.text, ...written }),
    (error: unknown) => ({ text: viaRows.text, error }),
  );
  return { generic, rows };
}

/** An entry of two lines, its description and amounts as given. */
function entry(
  id: string,
  date: string,
  description: string,
  lines: RenderedEntry['lines'],
  eventIds: readonly string[] = [],
): RenderedEntry {
  return { id, date, sourceId: 'smm-panel', description, eventIds, lines };
}

const quirky: RenderedEntry[] = [
  entry('je:a', '2026-03-02', 'plain', [
    { account: 'smm_services_expense', currency: 'USD', cents: 157n, description: 'say "hi", then\r\nleave' },
    { account: 'panel_prepaid', currency: 'USD', cents: -157n },
  ]),
  entry(
    'je:b',
    '2026-03-02',
    '=HYPERLINK("http://x","y")',
    [
      { account: 'smm_services_expense', currency: 'EUR', cents: 1_000_000_001n },
      { account: 'panel_prepaid', currency: 'EUR', cents: -1_000_000_001n },
      { account: 'smm_services_expense', currency: 'USD', cents: 5n, description: '-5' },
      { account: 'panel_prepaid', currency: 'USD', cents: -5n, description: '' },
    ],
    ['+event', 'two'],
  ),
  entry(
    'je:c',
    '2026-03-03',
    'many events',
    [
      { account: 'smm_services_expense', currency: 'USD', cents: 1n },
      { account: 'panel_prepaid', currency: 'USD', cents: -1n },
    ],
    Array.from({ length: 12 }, (_, index) => `panel:smm-panel:order:${index}:charge`),
  ),
];

describe("the generic export from the ledger's rows", () => {
  it('writes the bytes exportCsv writes for the same entries, whatever the chunk size', async () => {
    for (const rowsPerChunk of [1, 2, 3, 1000]) {
      const { generic, rows } = await both([...sampleEntries, ...quirky], chart, rowsPerChunk);
      expect(generic.error).toBeUndefined();
      expect(rows).toEqual(generic);
    }
  });

  it('refuses what exportCsv refuses, with the same error, after writing the same entries before it', async () => {
    // Ids of their own: the ledger's rows tell entries apart by id.
    const unbalanced: RenderedEntry = {
      ...panelRoundingDay,
      id: 'je:unbalanced',
      lines: panelRoundingDay.lines.slice(0, 2),
    };
    const zeroAndUnbalanced: RenderedEntry = {
      ...unbalanced,
      lines: [...unbalanced.lines, { account: 'rounding', currency: 'USD', cents: 0n }],
    };
    const badDate: RenderedEntry = { ...publisherEarnings, id: 'je:bad-date', date: '2026-02-30' };
    const unmappedAndUnbalanced: RenderedEntry = {
      ...unbalanced,
      lines: [{ account: 'constructor', currency: 'USD', cents: 1n }, ...unbalanced.lines],
    };
    const secondCurrencyUnbalanced: RenderedEntry = {
      ...publisherEarnings,
      id: 'je:two-currencies',
      lines: [...publisherEarnings.lines, { account: 'ad_revenue', currency: 'EUR', cents: 3n }],
    };
    const cases: [RenderedEntry, typeof LedgerIntegrityError | typeof ConfigError][] = [
      [unbalanced, LedgerIntegrityError],
      [zeroAndUnbalanced, LedgerIntegrityError],
      [badDate, LedgerIntegrityError],
      [unmappedAndUnbalanced, LedgerIntegrityError],
      [
        {
          ...publisherEarnings,
          id: 'je:unmapped',
          lines: [
            { account: 'constructor', currency: 'USD', cents: 1n },
            { account: 'ad_revenue', currency: 'USD', cents: -1n },
          ],
        },
        ConfigError,
      ],
      [secondCurrencyUnbalanced, LedgerIntegrityError],
    ];
    for (const [refused, kind] of cases) {
      const { generic, rows } = await both([publisherEarnings, panelRoundingDay, refused, publisherEarnings]);
      expect(generic.error).toBeInstanceOf(kind);
      expect(rows.error).toBeInstanceOf(kind);
      expect((rows.error as Error).message).toBe((generic.error as Error).message);
      expect(rows.text, (generic.error as Error).message).toBe(generic.text);
    }
  });

  it('ends the output when done unless told not to, and counts entries and lines', async () => {
    const out = new TextSink();
    const written = await exportGenericCsv({ chunks: chunksOf(sampleEntries, 2), out, chart });
    expect(out.writableEnded).toBe(true);
    expect(written).toEqual({
      entries: sampleEntries.filter((sample) => sample.lines.length > 0).length,
      lines: sampleEntries.reduce((sum, sample) => sum + sample.lines.length, 0),
    });
  });
});
