import { journalBooksOver } from '../../src/store/journal-books-store.js';
import { join } from 'node:path';
import type { Compilable } from 'kysely';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger/index.js';
import { LedgerStore } from '../../src/store/index.js';
import type { JournalEntry, RenderedEntry } from '../../src/rules/index.js';
import { accountTotals } from '../../src/store/account-totals.js';
import { collect } from '../support/books.js';
import { runMovements } from '../../src/pipeline/runs/books/run-movements.js';
import { queryBuilder } from '../../src/store/query-builder.js';
import { ledgerBeforeMigration } from '../support/ledger-before-migration.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../support/ledger-engines.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir();
const { fresh } = useLedgerEngines();
const now = new Date('2026-03-04T02:00:00Z');

function entry(id: string, date: string, sourceId: string, lines: [account: string, micros: bigint][]): JournalEntry {
  return {
    id,
    date,
    sourceId,
    description: id,
    eventIds: [],
    lines: lines.map(([account, amountMicros]) => ({ account, currency: 'USD', amountMicros })),
  };
}

/**
 * Three entries in book order: one whose cents sum to +0.01 (expense 0.006 → 0.01, fees 0.006 → 0.01, fees 0.002
 * more → 0.00, prepaid −0.014 → −0.01, so a rounding line of −0.01 follows), one whose own rounding line takes
 * the difference (expense to 0.012 → 0.00, rounding 0.010 → 0.01, prepaid to −0.030 → −0.02: rounding 0.02),
 * and one none of whose lines renders to a cent.
 */
const ENTRIES = [
  entry('je:a', '2026-03-02', 'smm-panel', [
    ['smm_services_expense', 6_000n],
    ['smm_fees', 6_000n],
    ['smm_fees', 2_000n],
    ['panel_prepaid', -14_000n],
  ]),
  entry('je:b', '2026-03-02', 'smm-panel', [
    ['smm_services_expense', 6_000n],
    ['rounding', 10_000n],
    ['panel_prepaid', -16_000n],
  ]),
  entry('je:c', '2026-03-03', 'smm-panel', [
    ['smm_services_expense', 1_000n],
    ['panel_prepaid', -1_000n],
  ]),
];

/** Every rendered line of the books, as an export reads them: entry id, account, cents. */
async function exportedLines(ledger: Ledger): Promise<[string, string, bigint][]> {
  const lines: [string, string, bigint][] = [];
  for await (const chunk of ledger.bookLineChunks())
    for (const [id, , , , , account, , cents] of chunk) lines.push([id, account, cents]);
  return lines;
}

function linesOf(entries: readonly RenderedEntry[]): [string, string, bigint][] {
  return entries.flatMap((rendered) =>
    rendered.lines.map((line): [string, string, bigint] => [rendered.id, line.account, line.cents]),
  );
}

describe.each(LEDGER_ENGINES)('cents stored with their lines (0015, %s)', (engine) => {
  it('read back as the cents rendered at the append, the rounding line after the lines, an entry of no cent with none', async () => {
    const store = await LedgerStore.openAt((await fresh(engine)) ?? join(tempDir(), 'ledger.sqlite'));
    try {
      const ledger = new Ledger(journalBooksOver(store));
      const previews = await ledger.previewCents(ENTRIES);
      await ledger.appendEntries(ENTRIES, { now, runId: 'run-1' });

      const rendered = await collect(ledger.renderedEntries());
      expect(rendered.map((read) => read.id)).toEqual(['je:a', 'je:b', 'je:c']);
      expect(rendered.map((read) => read.lines)).toEqual(previews);
      expect(previews[0]!.at(-1)).toEqual({
        account: 'rounding',
        currency: 'USD',
        cents: -1n,
        description: 'Cent rounding',
      });
      expect(previews[1]).toEqual([
        { account: 'rounding', currency: 'USD', cents: 2n },
        { account: 'panel_prepaid', currency: 'USD', cents: -2n },
      ]);
      expect(previews[2]).toEqual([]);
      expect(await exportedLines(ledger)).toEqual(linesOf(rendered));

      const apart = await store.all(
        queryBuilder(store).selectFrom('rendered_lines').select(['entry_id', 'line_no', 'cents']),
      );
      expect(apart.map((row) => [row.entry_id, Number(row.line_no), BigInt(row.cents)])).toEqual([['je:a', 5, -1n]]);
      const byDay = await accountTotals(store, { by: 'day' });
      const sumOf = (rows: readonly { account: string; debitCents: bigint; creditCents: bigint }[], account: string) =>
        rows.filter((row) => row.account === account).reduce((sum, row) => sum + row.debitCents - row.creditCents, 0n);
      const whole = await accountTotals(store, {});
      for (const account of ['smm_services_expense', 'smm_fees', 'panel_prepaid', 'rounding']) {
        const exported = linesOf(rendered)
          .filter(([, lineAccount]) => lineAccount === account)
          .reduce((sum, [, , cents]) => sum + cents, 0n);
        expect([account, sumOf(byDay, account), sumOf(whole, account)]).toEqual([account, exported, exported]);
      }
      const moved = new Map((await runMovements(store, 'run-1')).map((row) => [row.account, row.cents]));
      expect(moved.get('rounding')).toBe(sumOf(whole, 'rounding'));
    } finally {
      await store.close();
    }
  });
});

describe('a ledger booked before cents were stored with their lines (0015)', () => {
  it('keeps its rendered lines where they were, and reads them in book order among the entries appended after', async () => {
    const path = join(tempDir(), 'ledger.sqlite');
    await ledgerBeforeMigration(path, '0015-cents-with-their-lines', (sqlite) => {
      // As the append wrote it then, in one transaction: the lines, the entry, and every rendered line in rendered_lines.
      sqlite.exec('BEGIN');
      const line = sqlite.prepare(
        'INSERT INTO journal_lines (entry_id, line_no, account, currency, amount_micros) VALUES (?, ?, ?, ?, ?)',
      );
      line.run('je:ab', 1, 'smm_services_expense', 'USD', 6_000);
      line.run('je:ab', 2, 'panel_prepaid', 'USD', -6_000);
      sqlite
        .prepare(
          "INSERT INTO journal_entries (id, date, source_id, description, event_ids, content_hash, created_at) VALUES ('je:ab', '2026-03-02', 'smm-panel', 'old', '[]', 'hash', 'now')",
        )
        .run();
      const renderedLine = sqlite.prepare(
        'INSERT INTO rendered_lines (entry_id, line_no, account, currency, cents) VALUES (?, ?, ?, ?, ?)',
      );
      renderedLine.run('je:ab', 1, 'smm_services_expense', 'USD', 1);
      renderedLine.run('je:ab', 2, 'panel_prepaid', 'USD', -1);
      sqlite
        .prepare(
          "INSERT INTO running_totals (source_id, account, currency, exact_micros, debit_micros, credit_micros, debit_cents, credit_cents) VALUES ('smm-panel', 'smm_services_expense', 'USD', 6000, 6000, 0, 1, 0), ('smm-panel', 'panel_prepaid', 'USD', -6000, 0, 6000, 0, 1)",
        )
        .run();
      sqlite.exec('COMMIT');
    });
    const store = await LedgerStore.open(path);
    try {
      const ledger = new Ledger(journalBooksOver(store));
      // je:a sorts before je:ab on the same day, je:b after it.
      await ledger.appendEntries(ENTRIES.slice(0, 2), { now });
      expect(
        store.sqlite
          .prepare("SELECT line_no, cents FROM journal_lines WHERE entry_id = 'je:ab' ORDER BY line_no")
          .raw()
          .all(),
      ).toEqual([
        [1n, null],
        [2n, null],
      ]);
      const rendered = await collect(ledger.renderedEntries());
      expect(rendered.map((read) => read.id)).toEqual(['je:a', 'je:ab', 'je:b']);
      expect(rendered[1]!.lines).toEqual([
        { account: 'smm_services_expense', currency: 'USD', cents: 1n },
        { account: 'panel_prepaid', currency: 'USD', cents: -1n },
      ]);
      expect(await exportedLines(ledger)).toEqual(linesOf(rendered));
      const byDay = await accountTotals(store, { by: 'day' });
      const whole = await accountTotals(store, {});
      const cents = (rows: typeof whole) => rows.map((row) => [row.account, row.debitCents, row.creditCents]);
      expect(cents(byDay).sort()).toEqual(cents(whole).sort());
    } finally {
      await store.close();
    }
  });
});

describe('rendered lines read in book order from both tables (0015)', () => {
  it('come off the index of book order, each entry with its lines, never sorted all together', async () => {
    const store = await LedgerStore.open(join(tempDir(), 'ledger.sqlite'));
    try {
      const plans: string[][] = [];
      // The reads' own statements, planned by SQLite instead of run.
      const planOf = (query: Compilable<unknown>) => {
        const { sql, parameters } = query.compile();
        plans.push(
          (store.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...parameters) as { detail: string }[]).map(
            (step) => step.detail,
          ),
        );
        return (async function* () {})();
      };
      Object.assign(store, { iterateArrays: planOf, iterateArrayChunks: planOf });
      const ledger = new Ledger(journalBooksOver(store));
      await collect(ledger.renderedEntries());
      await collect(ledger.bookLineChunks());
      expect(plans).toHaveLength(2);
      for (const plan of plans) {
        expect(plan).toContain('SCAN e USING INDEX journal_entries_by_identity');
        expect(plan).not.toContain('USE TEMP B-TREE FOR ORDER BY');
        expect(plan).not.toContain('SCAN l');
      }
    } finally {
      await store.close();
    }
  });
});
