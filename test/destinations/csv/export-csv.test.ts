import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ConfigError, LedgerIntegrityError, UsageError } from '../../../src/errors.js';
import { exportCsv, type ExportCsvOptions } from '../../../src/destinations/csv/index.js';
import type { RenderedEntry } from '../../../src/rules/index.js';
import { cumulativeCents, parseMicros } from '../../../src/money/index.js';
import {
  chart,
  panelRoundingDay,
  publisherEarnings,
  quickbooksMapping,
  sampleEntries,
  xeroMapping,
} from './sample-entries.js';

/**
 * Golden files hold the exact bytes of each format for sampleEntries. After an
 * intended change of format, regenerate them and review the diff:
 *
 *   UPDATE_GOLDEN=1 npx vitest run test/destinations/csv
 */
const goldenDir = join(import.meta.dirname, 'golden');

async function expectGolden(name: string, actual: string): Promise<void> {
  const path = join(goldenDir, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    await writeFile(path, actual, 'utf8');
    return;
  }
  expect(actual).toBe(await readFile(path, 'utf8'));
}

const mappings = { chart, xero: xeroMapping, quickbooks: quickbooksMapping };

class TextSink extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString('utf8');
    callback();
  }
}

async function exported(
  options: Omit<ExportCsvOptions, 'out'>,
): Promise<{ text: string; entries: number; lines: number }> {
  const out = new TextSink();
  const written = await exportCsv({ ...options, out });
  return { text: out.text, ...written };
}

function cells(text: string): string[][] {
  return parse(text, { relax_column_count: false }) as string[][];
}

describe('golden files', () => {
  it('the rounding-day fixture is what cumulative half-even rendering gives for its 5-decimal amounts', () => {
    const dayCharges = parseMicros('0.27819') + parseMicros('1.23456') + parseMicros('0.05555');
    expect(cumulativeCents(parseMicros('10.00400'), dayCharges)).toBe(157n);
    expect(cumulativeCents(parseMicros('40.00495'), -dayCharges)).toBe(-156n);
    expect(panelRoundingDay.lines.map((line) => line.cents)).toEqual([157n, -156n, -1n]);
  });

  it('generic: ledger keys, two-decimal debit or credit, ISO dates, event ids as source_ref', async () => {
    const result = await exported({ format: 'generic', entries: sampleEntries, mappings });
    expect({ entries: result.entries, lines: result.lines }).toEqual({ entries: 4, lines: 9 });
    await expectGolden('generic.csv', result.text);
  });

  it('xero: signed amounts, narration with the entry id, DD/MM/YYYY dates', async () => {
    const result = await exported({ format: 'xero', entries: sampleEntries, mappings, dateFormat: 'DD/MM/YYYY' });
    expect({ entries: result.entries, lines: result.lines }).toEqual({ entries: 4, lines: 9 });
    await expectGolden('xero.csv', result.text);
  });

  it('xero with DD MMM YYYY dates', async () => {
    const result = await exported({ format: 'xero', entries: sampleEntries, mappings, dateFormat: 'DD MMM YYYY' });
    await expectGolden('xero-dd-mmm-yyyy.csv', result.text);
  });

  it('quickbooks: journal numbers, account names, Class and Location from the mapping, MM/DD/YYYY by default', async () => {
    const result = await exported({
      format: 'quickbooks',
      entries: sampleEntries,
      mappings,
      sourceNames: { 'ads-publisher': 'Payelancer' },
    });
    expect({ entries: result.entries, lines: result.lines }).toEqual({ entries: 4, lines: 9 });
    await expectGolden('quickbooks.csv', result.text);
  });

  it('quickbooks with DD/MM/YYYY dates and a Currency column', async () => {
    const result = await exported({
      format: 'quickbooks',
      entries: sampleEntries,
      mappings,
      dateFormat: 'DD/MM/YYYY',
      currencyColumn: true,
    });
    await expectGolden('quickbooks-dd-mm-yyyy-currency.csv', result.text);
  });
});

describe('what every export guarantees', () => {
  it('every journal of every format balances to the cent', async () => {
    const generic = cells((await exported({ format: 'generic', entries: sampleEntries, mappings })).text).slice(1);
    const xero = cells((await exported({ format: 'xero', entries: sampleEntries, mappings })).text).slice(1);
    const quickbooks = cells((await exported({ format: 'quickbooks', entries: sampleEntries, mappings })).text).slice(
      1,
    );
    const cents = (text: string) => (text === '' ? 0n : BigInt(text.replace('.', '')));
    const netBy = (rows: string[][], key: (row: string[]) => string, amount: (row: string[]) => bigint) => {
      const net = new Map<string, bigint>();
      for (const row of rows) net.set(key(row), (net.get(key(row)) ?? 0n) + amount(row));
      return [...net.values()];
    };
    expect(
      netBy(
        generic,
        (row) => row[0]!,
        (row) => cents(row[3]!) - cents(row[4]!),
      ),
    ).toEqual([0n, 0n, 0n, 0n]);
    expect(
      netBy(
        xero,
        (row) => `${row[0]!}|${row[1]!}`,
        (row) => cents(row[5]!),
      ),
    ).toEqual([0n, 0n, 0n, 0n]);
    expect(
      netBy(
        quickbooks,
        (row) => row[0]!,
        (row) => cents(row[3]!) - cents(row[4]!),
      ),
    ).toEqual([0n, 0n, 0n, 0n]);
  });

  it('an entry whose cents do not balance is refused, naming it', async () => {
    const unbalanced: RenderedEntry = { ...panelRoundingDay, lines: panelRoundingDay.lines.slice(0, 2) };
    for (const format of ['generic', 'xero', 'quickbooks'] as const) {
      const attempt = exported({ format, entries: [publisherEarnings, unbalanced], mappings });
      await expect(attempt).rejects.toThrow(LedgerIntegrityError);
      await expect(attempt).rejects.toThrow(
        'entry je:smm-panel:2026-03-02 does not balance: its USD cents sum to 0.01; refusing to deliver it',
      );
    }
  });

  it('a zero line or an impossible date is refused, naming the entry', async () => {
    const zeroLine: RenderedEntry = {
      ...publisherEarnings,
      lines: [...publisherEarnings.lines, { account: 'rounding', currency: 'USD', cents: 0n }],
    };
    await expect(exported({ format: 'generic', entries: [zeroLine], mappings })).rejects.toThrow(
      'entry je:ads-publisher:2026-03-01: line 3 (rounding) renders to 0.00',
    );
    await expect(
      exported({ format: 'xero', entries: [{ ...publisherEarnings, date: '2026-02-30' }], mappings }),
    ).rejects.toThrow('entry je:ads-publisher:2026-03-01: date "2026-02-30" is not a calendar date (YYYY-MM-DD)');
  });

  it('an account without a mapping is an error naming the account and the entry', async () => {
    const { rounding: _dropped, ...withoutRounding } = xeroMapping;
    const attempt = exported({ format: 'xero', entries: [panelRoundingDay], mappings: { xero: withoutRounding } });
    await expect(attempt).rejects.toThrow(ConfigError);
    await expect(attempt).rejects.toThrow(
      'ledger account "rounding" has no Xero mapping, but entry je:smm-panel:2026-03-02 posts to it',
    );
    await expect(
      exported({
        format: 'generic',
        entries: [
          {
            ...publisherEarnings,
            lines: [
              { account: 'constructor', currency: 'USD', cents: 1n },
              { account: 'ad_revenue', currency: 'USD', cents: -1n },
            ],
          },
        ],
        mappings,
      }),
    ).rejects.toThrow(
      'ledger account "constructor" has no chart mapping, but entry je:ads-publisher:2026-03-01 posts to it',
    );
  });

  it('an export without the mapping its format needs is refused before writing', async () => {
    await expect(exported({ format: 'quickbooks', entries: sampleEntries, mappings: { chart } })).rejects.toThrow(
      new UsageError('the quickbooks export needs the QuickBooks account mapping'),
    );
  });

  it('an export of no entries is the header alone', async () => {
    expect((await exported({ format: 'generic', entries: [], mappings })).text).toBe(
      'journal_id,date,account,debit,credit,currency,description,source,source_ref\r\n',
    );
  });

  it('reads entries from an async iterable and ends the output unless told not to', async () => {
    async function* entries(): AsyncGenerator<RenderedEntry> {
      yield publisherEarnings;
      yield panelRoundingDay;
    }
    const ended = new TextSink();
    expect(await exportCsv({ format: 'generic', entries: entries(), out: ended, mappings })).toEqual({
      entries: 2,
      lines: 5,
    });
    expect(ended.writableEnded).toBe(true);
    const open = new TextSink();
    await exportCsv({ format: 'generic', entries: entries(), out: open, mappings, endOut: false });
    expect(open.writableEnded).toBe(false);
    expect(open.text).toBe(ended.text);
  });
});

describe('dates', () => {
  it('the generic format keeps ISO dates and refuses another format', async () => {
    await expect(
      exported({ format: 'generic', entries: sampleEntries, mappings, dateFormat: 'MM/DD/YYYY' }),
    ).rejects.toThrow('the generic format always writes dates as YYYY-MM-DD (asked for MM/DD/YYYY)');
  });

  it('xero and quickbooks write the configured format', async () => {
    const xero = cells(
      (await exported({ format: 'xero', entries: [payoutLike()], mappings, dateFormat: 'MM/DD/YYYY' })).text,
    );
    const quickbooks = cells(
      (await exported({ format: 'quickbooks', entries: [payoutLike()], mappings, dateFormat: 'YYYY-MM-DD' })).text,
    );
    expect(xero.slice(1).map((row) => row[1])).toEqual(['12/31/2026', '12/31/2026']);
    expect(quickbooks.slice(1).map((row) => row[1])).toEqual(['2026-12-31', '2026-12-31']);
  });

  function payoutLike(): RenderedEntry {
    return { ...publisherEarnings, date: '2026-12-31' };
  }
});

describe('currencies', () => {
  const euroEntry: RenderedEntry = {
    ...publisherEarnings,
    id: 'je:eu-publisher:2026-03-01',
    lines: [
      { account: 'payelancer_receivable', currency: 'EUR', cents: 900n },
      { account: 'ad_revenue', currency: 'EUR', cents: -900n },
    ],
  };

  it('generic keeps each line in its own currency', async () => {
    const rows = cells((await exported({ format: 'generic', entries: [publisherEarnings, euroEntry], mappings })).text);
    expect(rows.slice(1).map((row) => row[5])).toEqual(['USD', 'USD', 'EUR', 'EUR']);
  });

  it('xero refuses a second currency in one file, naming the entry', async () => {
    await expect(exported({ format: 'xero', entries: [publisherEarnings, euroEntry], mappings })).rejects.toThrow(
      new UsageError(
        "Xero export: entry je:eu-publisher:2026-03-01 has a EUR line in an export of USD; Xero's manual journal " +
          'import reads every amount in the organisation\'s base currency: "ledgerline post xero" sends it converted at destinations.rates',
      ),
    );
  });

  it("xero and quickbooks name the entry in another currency than the books', even when it comes first", async () => {
    // A EUR adjustment sorts before the day's USD entries: the USD entry is not the one to refuse.
    await expect(
      exported({ format: 'xero', entries: [euroEntry, publisherEarnings], mappings, currency: 'USD' }),
    ).rejects.toThrow(
      new UsageError(
        "Xero export: entry je:eu-publisher:2026-03-01 has a EUR line in an export of USD; Xero's manual journal " +
          'import reads every amount in the organisation\'s base currency: "ledgerline post xero" sends it converted at destinations.rates',
      ),
    );
    await expect(
      exported({ format: 'quickbooks', entries: [euroEntry, publisherEarnings], mappings, currency: 'USD' }),
    ).rejects.toThrow(
      new UsageError(
        "QuickBooks export: entry je:eu-publisher:2026-03-01 has a EUR line in an export of USD; QuickBooks' journal " +
          'import reads every amount in the home currency: "ledgerline post quickbooks" sends it with its currency and exchange rate',
      ),
    );
  });

  it('quickbooks refuses a second currency without the Currency column and writes it with one', async () => {
    await expect(exported({ format: 'quickbooks', entries: [publisherEarnings, euroEntry], mappings })).rejects.toThrow(
      'QuickBooks export: entry je:eu-publisher:2026-03-01 has a EUR line in an export of USD',
    );
    const rows = cells(
      (
        await exported({
          format: 'quickbooks',
          entries: [publisherEarnings, euroEntry],
          mappings,
          currencyColumn: true,
        })
      ).text,
    );
    expect(rows[0]).toEqual([
      'Journal No',
      'Journal Date',
      'Account Name',
      'Debits',
      'Credits',
      'Description',
      'Name',
      'Currency',
      'Class',
      'Location',
    ]);
    expect(rows.slice(1).map((row) => row[7])).toEqual(['USD', 'USD', 'EUR', 'EUR']);
  });

  it('quickbooks leaves out Class and Location when no account maps one', async () => {
    const plain = Object.fromEntries(
      Object.entries(quickbooksMapping).map(([key, { id, name }]) => [key, { id, name }]),
    );
    const rows = cells(
      (await exported({ format: 'quickbooks', entries: [publisherEarnings], mappings: { quickbooks: plain } })).text,
    );
    expect(rows).toEqual([
      ['Journal No', 'Journal Date', 'Account Name', 'Debits', 'Credits', 'Description', 'Name'],
      [
        'LL-20260301-v8hxv9znb',
        '03/01/2026',
        'Receivables:Payelancer',
        '12.34',
        '',
        'Publisher earnings 2026-03-01',
        '',
      ],
      ['LL-20260301-v8hxv9znb', '03/01/2026', 'Ad revenue', '', '12.34', 'Publisher earnings 2026-03-01', ''],
    ]);
  });

  it('quickbooks refuses, naming both, two entries of one date whose journal numbers coincide', async () => {
    // These two ids' SHA-256 share their first 45 bits: on 2026-03-01 both make LL-20260301-rpf814pxd.
    const entries = [
      publisherEarnings,
      { ...publisherEarnings, id: 'je:clash:10052836' },
      { ...publisherEarnings, id: 'je:clash:11399223' },
    ];
    const attempt = exported({ format: 'quickbooks', entries, mappings });
    await expect(attempt).rejects.toThrow(LedgerIntegrityError);
    await expect(attempt).rejects.toThrow(
      'entry je:clash:11399223: its journal number LL-20260301-rpf814pxd is also that of entry je:clash:10052836',
    );
  });

  it('quickbooks names the mapped customer on a receivable line (the import wants a Name on A/R and A/P lines), the source elsewhere', async () => {
    const plain = Object.fromEntries(
      Object.entries(quickbooksMapping).map(([key, { id, name }]) => [key, { id, name }]),
    );
    const withCustomer = {
      ...plain,
      payelancer_receivable: { ...plain.payelancer_receivable!, customer: 'Payelancer Inc' },
    };
    const rows = cells(
      (
        await exported({
          format: 'quickbooks',
          entries: [publisherEarnings],
          mappings: { quickbooks: withCustomer },
          sourceNames: { 'ads-publisher': 'Payelancer' },
        })
      ).text,
    );
    expect(rows.slice(1).map((row) => [row[2], row[6]])).toEqual([
      ['Receivables:Payelancer', 'Payelancer Inc'],
      ['Ad revenue', 'Payelancer'],
    ]);
  });
});

describe('formula injection', () => {
  const attacks = ['=HYPERLINK("http://x","y")', '+1', '-1', '@SUM(A1)', '\tx', '\rx'];

  function attackEntry(description: string): RenderedEntry {
    return {
      id: 'je:attack',
      date: '2026-03-02',
      sourceId: 'smm-panel',
      description,
      eventIds: ['panel:smm-panel:order:1:charge:2026-03-02'],
      lines: [
        { account: 'smm_services_expense', currency: 'USD', cents: 157n, description },
        { account: 'panel_prepaid', currency: 'USD', cents: -157n },
      ],
    };
  }

  for (const attack of attacks) {
    it(`a description ${JSON.stringify(attack)} is quoted as text in every format`, async () => {
      const guarded = `'${attack}`;
      const generic = cells((await exported({ format: 'generic', entries: [attackEntry(attack)], mappings })).text);
      expect(generic.slice(1).map((row) => [row[3], row[4], row[6]])).toEqual([
        ['1.57', '', guarded],
        ['', '1.57', guarded],
      ]);
      const xero = cells((await exported({ format: 'xero', entries: [attackEntry(attack)], mappings })).text);
      expect(xero.slice(1).map((row) => [row[0], row[2], row[5]])).toEqual([
        [`${guarded} [je:attack]`, guarded, '1.57'],
        [`${guarded} [je:attack]`, guarded, '-1.57'],
      ]);
      const quickbooks = cells(
        (await exported({ format: 'quickbooks', entries: [attackEntry(attack)], mappings })).text,
      );
      expect(quickbooks.slice(1).map((row) => [row[3], row[4], row[5]])).toEqual([
        ['1.57', '', guarded],
        ['', '1.57', guarded],
      ]);
    });
  }

  it('ids, account keys, codes, names, tracking, classes and source names are guarded too; amounts never are', async () => {
    const entry: RenderedEntry = {
      id: '=cmd',
      date: '2026-03-02',
      sourceId: '@source',
      description: 'ok',
      eventIds: ['+event'],
      lines: [
        { account: '-expense', currency: 'USD', cents: 157n },
        { account: 'panel_prepaid', currency: 'USD', cents: -157n },
      ],
    };
    const generic = cells(
      (
        await exported({
          format: 'generic',
          entries: [entry],
          mappings: { chart: { ...chart, '-expense': { name: 'x' } } },
        })
      ).text,
    );
    expect(generic[1]).toEqual(["'=cmd", '2026-03-02', "'-expense", '1.57', '', 'USD', 'ok', "'@source", "'+event"]);

    const xero = cells(
      (
        await exported({
          format: 'xero',
          entries: [entry],
          dateFormat: 'DD/MM/YYYY',
          mappings: {
            xero: {
              ...xeroMapping,
              '-expense': { code: '=1', taxRate: '+rate', tracking: [{ name: '@name', option: '-opt' }] },
            },
          },
        })
      ).text,
    );
    expect(xero[1]).toEqual(['ok [=cmd]', '02/03/2026', 'ok', "'=1", "'+rate", '1.57', "'@name", "'-opt", '', '']);
    expect(xero[2]![5]).toBe('-1.57');

    const quickbooks = cells(
      (
        await exported({
          format: 'quickbooks',
          entries: [entry],
          sourceNames: { '@source': '=Vendor' },
          mappings: {
            quickbooks: {
              ...quickbooksMapping,
              '-expense': { id: '1', name: '+Expenses:SMM', class: '-Class', location: { id: '2', name: '@Loc' } },
            },
          },
        })
      ).text,
    );
    expect(quickbooks[1]).toEqual([
      'LL-20260302-4trzkef2c',
      '03/02/2026',
      "'+Expenses:SMM",
      '1.57',
      '',
      'ok',
      "'=Vendor",
      "'-Class",
      "'@Loc",
    ]);
  });
});
