import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LedgerIntegrityError } from '../../src/errors.js';
import { Ledger, entryContentHash } from '../../src/ledger/index.js';
import { credit, debit, type JournalEntry } from '../../src/rules/index.js';
import { collect, openBooks, type Books } from '../support/books.js';
import { queryTables } from '../support/ledger-tables.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir();
const now = new Date('2026-03-03T06:00:00Z');

async function openLedger(): Promise<Ledger> {
  return (await openBooks(join(tempDir(), 'ledger.sqlite'))).ledger;
}

function chargeEntry(id: string, date: string, micros: bigint): JournalEntry {
  return {
    id,
    date,
    sourceId: 'smm-panel',
    description: `SMM panel orders ${date}`,
    eventIds: [],
    lines: [debit('smm_services_expense', 'USD', micros), credit('panel_prepaid', 'USD', micros)],
  };
}

describe('appending journal entries', () => {
  it('books a balanced entry once; the same entry again changes nothing', async () => {
    const ledger = await openLedger();
    const entry = chargeEntry('je:smm-panel:2026-03-02', '2026-03-02', 900_000n);
    expect(await ledger.appendEntry(entry, { now })).toBe('appended');
    expect(await ledger.appendEntry(entry, { now })).toBe('unchanged');
    expect(await ledger.accountBalances()).toEqual([
      { account: 'panel_prepaid', currency: 'USD', balanceMicros: -900_000n },
      { account: 'smm_services_expense', currency: 'USD', balanceMicros: 900_000n },
    ]);
    await ledger.close();
  });

  it('refuses the same id with different content, naming the id', async () => {
    const ledger = await openLedger();
    await ledger.appendEntry(chargeEntry('je:smm-panel:2026-03-02', '2026-03-02', 900_000n), { now });
    const rewrite = () => ledger.appendEntry(chargeEntry('je:smm-panel:2026-03-02', '2026-03-02', 758_700n), { now });
    await expect(rewrite()).rejects.toThrowError(LedgerIntegrityError);
    await expect(rewrite()).rejects.toThrowError(/je:smm-panel:2026-03-02.*different content/);
    await ledger.close();
  });

  it('refuses an unbalanced entry before it reaches the database, naming the id', async () => {
    const ledger = await openLedger();
    const entry: JournalEntry = {
      ...chargeEntry('je:bad', '2026-03-02', 1n),
      lines: [debit('smm_services_expense', 'USD', 900_000n), credit('panel_prepaid', 'USD', 899_999n)],
    };
    await expect(ledger.appendEntry(entry, { now })).rejects.toThrowError(/je:bad.*differ by 1 micro-units of USD/);
    expect(await ledger.hasEntry('je:bad')).toBe(false);
    await ledger.close();
  });

  it('gives balances as of a date and a trial balance whose totals agree', async () => {
    const ledger = await openLedger();
    await ledger.appendEntry(chargeEntry('je:1', '2026-03-01', 900_000n), { now });
    await ledger.appendEntry(chargeEntry('je:2', '2026-03-02', 278_190n), { now });
    expect(await ledger.balanceOf('smm_services_expense', 'USD', { asOf: '2026-03-01' })).toBe(900_000n);
    expect(await ledger.balanceOf('smm_services_expense', 'USD')).toBe(1_178_190n);
    const trial = await ledger.trialBalance('2026-03-02');
    expect(trial.totalDebitMicros).toBe(1_178_190n);
    expect(trial.totalCreditMicros).toBe(1_178_190n);
    await ledger.close();
  });
});

describe('cents for destinations', () => {
  it('renders each entry on cumulative totals, half-even, with the residue on rounding', async () => {
    const ledger = await openLedger();
    // Three days of 0.004 expense: cumulative 0.004, 0.008, 0.012 → 0.00, 0.01, 0.01 → days render 0.00, 0.01, 0.00.
    await ledger.appendEntry(chargeEntry('je:d1', '2026-03-01', 4_000n), { now });
    await ledger.appendEntry(chargeEntry('je:d2', '2026-03-02', 4_000n), { now });
    await ledger.appendEntry(chargeEntry('je:d3', '2026-03-03', 4_000n), { now });
    const rendered = await collect(ledger.renderedEntries());
    expect(rendered.map((entry) => [entry.id, entry.lines.map((line) => [line.account, line.cents])])).toEqual([
      ['je:d1', []],
      [
        'je:d2',
        [
          ['smm_services_expense', 1n],
          ['panel_prepaid', -1n],
        ],
      ],
      ['je:d3', []],
    ]);
    await ledger.close();
  });

  it('balances a rendered entry whose lines round apart with a rounding line', async () => {
    const ledger = await openLedger();
    // 0.275 + 0.275 expense against one 0.55 credit: each debit renders 0.28 (half-even of .275 is .28), credit −0.55.
    await ledger.appendEntry(
      {
        id: 'je:split',
        date: '2026-03-02',
        sourceId: 'smm-panel',
        description: 'split',
        eventIds: [],
        lines: [
          debit('smm_services_expense', 'USD', 275_000n),
          debit('advertising_expense', 'USD', 275_000n),
          credit('panel_prepaid', 'USD', 550_000n),
        ],
      },
      { now },
    );
    const [entry] = await collect(ledger.renderedEntries());
    expect(entry?.lines.map((line) => [line.account, line.cents])).toEqual([
      ['smm_services_expense', 28n],
      ['advertising_expense', 28n],
      ['panel_prepaid', -55n],
      ['rounding', -1n],
    ]);
    await ledger.close();
  });

  it('streams entries within a date window in book order (date, source, id), whatever order they were appended in', async () => {
    const ledger = await openLedger();
    await ledger.appendEntry(chargeEntry('je:c', '2026-03-03', 3_000_000n), { now });
    await ledger.appendEntry(chargeEntry('je:b', '2026-03-02', 1_000_000n), { now });
    await ledger.appendEntry(chargeEntry('je:a', '2026-03-01', 2_000_000n), { now });
    await ledger.appendEntry({ ...chargeEntry('je:z', '2026-03-02', 4_000_000n), sourceId: 'ads-advertiser' }, { now });
    await ledger.appendEntry(chargeEntry('je:a2', '2026-03-02', 5_000_000n), { now });
    const window = { from: '2026-03-02', to: '2026-03-03' };
    const expected = ['je:z', 'je:a2', 'je:b', 'je:c'];
    expect((await collect(ledger.renderedEntries(window))).map((entry) => entry.id)).toEqual(expected);
    expect((await collect(ledger.exactEntries(window))).map((entry) => entry.id)).toEqual(expected);
    expect((await collect(ledger.renderedEntries(window))).every((entry) => entry.legacyPosition === undefined)).toBe(
      true,
    );
    await ledger.close();
  });
});

describe('appending many entries at once', () => {
  /** Entries over more than one chunk, in two currencies and two sources, small enough that cents round apart. */
  function manyEntries(count: number): JournalEntry[] {
    return Array.from({ length: count }, (_, index) => {
      const micros = 1_000n + BigInt((index * 7_919) % 9_973);
      const currency = index % 3 === 0 ? 'EUR' : 'USD';
      const sourceId = index % 5 === 0 ? 'ads' : 'smm-panel';
      return {
        ...chargeEntry(`je:many:${index}`, `2026-03-${String((index % 28) + 1).padStart(2, '0')}`, micros),
        sourceId,
        lines: [
          debit('smm_services_expense', currency, micros),
          credit('panel_prepaid', currency, micros - 1_500n),
          debit('fees', currency, -1_500n),
        ],
      };
    });
  }

  /** The books under each ledger these tests open: the tables are read directly, beside the ledger's own reads. */
  const booksOf = new Map<Ledger, Books>();

  async function openNamed(name: string): Promise<Ledger> {
    const books = await openBooks(join(tempDir(), name));
    booksOf.set(books.ledger, books);
    return books.ledger;
  }

  async function bookState(ledger: Ledger) {
    const books = booksOf.get(ledger)!;
    return {
      entries: await queryTables(books, (db) =>
        db.selectFrom('journal_entries').select(['seq', 'id', 'content_hash', 'event_ids']).orderBy('seq'),
      ),
      rendered: await collect(ledger.renderedEntries()),
      exact: await collect(ledger.exactEntries()),
      totals: await queryTables(books, (db) =>
        db.selectFrom('running_totals').selectAll().orderBy(['source_id', 'account', 'currency']),
      ),
    };
  }

  async function counts(ledger: Ledger) {
    const books = booksOf.get(ledger)!;
    const count = async (table: 'journal_entries' | 'journal_lines' | 'rendered_lines' | 'running_totals') =>
      (await queryTables(books, (db) => db.selectFrom(table).select((eb) => eb.fn.countAll<bigint>().as('n'))))[0]!.n;
    return [
      await count('journal_entries'),
      await count('journal_lines'),
      await count('rendered_lines'),
      await count('running_totals'),
    ];
  }

  it('books exactly what appending them one by one books: seq order, hashes, cents and running totals', async () => {
    // Over three chunks of the append (256 entries a chunk), an entry of the first and one of the middle chunk again at
    // the end of the last. Three chunks give a first, a middle and a last; each entry more is a transaction one by one.
    const entries = manyEntries(600);
    const already = entries.slice(0, 3);
    const batch = [...entries.slice(1), entries[400]!, entries[10]!];

    const oneByOne = await openNamed('one-by-one.sqlite');
    for (const entry of already) await oneByOne.appendEntry(entry, { now });
    const outcomesOneByOne = [];
    for (const entry of batch) outcomesOneByOne.push(await oneByOne.appendEntry(entry, { now }));

    const bulk = await openNamed('bulk.sqlite');
    for (const entry of already) await bulk.appendEntry(entry, { now });
    const outcomesBulk = await bulk.appendEntries(batch, { now });

    expect(outcomesBulk).toEqual(outcomesOneByOne);
    expect(outcomesBulk.filter((outcome) => outcome === 'unchanged')).toHaveLength(4);
    const expected = await bookState(oneByOne);
    expect(expected.rendered.some((entry) => entry.lines.some((line) => line.account === 'rounding'))).toBe(true);
    expect(await bookState(bulk)).toEqual(expected);
    await oneByOne.close();
    await bulk.close();
  });

  it('refuses a changed duplicate, naming its id, and writes nothing of the batch', async () => {
    const ledger = await openNamed('ledger.sqlite');
    // Three chunks: the refused entry comes after two chunks the batch would have written.
    const entries = manyEntries(600);
    await ledger.appendEntry(entries[0]!, { now });
    const before = await counts(ledger);
    const changed = { ...entries[0]!, description: 'rewritten' };
    await expect(ledger.appendEntries([...entries.slice(1), changed], { now })).rejects.toThrowError(
      /je:many:0 is already booked with different content/,
    );
    const twiceInBatch = [...entries.slice(1, 550), { ...entries[5]!, description: 'rewritten' }];
    await expect(ledger.appendEntries(twiceInBatch, { now })).rejects.toThrowError(
      /je:many:5 is already booked with different content/,
    );
    const twiceInChunk = [entries[1]!, entries[2]!, { ...entries[1]!, description: 'rewritten' }];
    await expect(ledger.appendEntries(twiceInChunk, { now })).rejects.toThrowError(
      /je:many:1 is already booked with different content/,
    );
    expect(await counts(ledger)).toEqual(before);
    await ledger.close();
  });

  it('refuses an unbalanced entry, naming its id, and writes nothing of the batch', async () => {
    const ledger = await openNamed('ledger.sqlite');
    const entries = manyEntries(600);
    const unbalanced: JournalEntry = {
      ...entries[550]!,
      lines: [debit('smm_services_expense', 'USD', 900_000n), credit('panel_prepaid', 'USD', 899_999n)],
    };
    await expect(ledger.appendEntries([...entries.slice(0, 550), unbalanced], { now })).rejects.toThrowError(
      /je:many:550.*differ by 1 micro-units of USD/,
    );
    expect(await counts(ledger)).toEqual([0n, 0n, 0n, 0n]);
    await ledger.close();
  });
});

describe('entryContentHash', () => {
  it('is the SHA-256 of the entry canonical JSON, event ids hashed a slice at a time giving the same bytes', () => {
    for (const count of [0, 1, 10_000, 10_001, 25_000]) {
      const entry = {
        id: 'je:smm-panel:2026-04-12',
        date: '2026-04-12',
        sourceId: 'smm-"panel\\',
        description: 'SMM order charges ×2, "é"',
        eventIds: Array.from({ length: count }, (_, index) => `panel:smm-panel:order:${index}:"charge"é`),
        lines: [
          { account: 'smm_services_expense', currency: 'USD', amountMicros: 5n },
          { account: 'panel_prepaid', currency: 'USD', amountMicros: -5n, description: 'SMM order charges' },
        ],
      };
      const canonical = JSON.stringify({
        date: entry.date,
        sourceId: entry.sourceId,
        description: entry.description,
        eventIds: entry.eventIds,
        lines: [
          ['smm_services_expense', 'USD', '5', null],
          ['panel_prepaid', 'USD', '-5', 'SMM order charges'],
        ],
      });
      expect(entryContentHash(entry)).toBe(createHash('sha256').update(canonical).digest('hex'));
    }
  });
});
