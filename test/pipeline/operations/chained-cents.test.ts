import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHAIN_GENESIS, chainLink, entryContentHash } from '../../../src/ledger/index.js';
import { credit, debit, renderEntryCents, type JournalEntry } from '../../../src/rules/index.js';
import { runLedgerline } from '../../support/cli.js';
import { ledgerBeforeMigration } from '../../support/ledger-before-migration.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../../support/ledger-engines.js';
import { useTempDir } from '../../support/temp-dir.js';
import { openBooks } from '../../support/books.js';
import { withLedgerTables } from '../../support/ledger-tables.js';

const tempDir = useTempDir();
const engines = useLedgerEngines();
const now = new Date('2026-04-02T02:00:00Z');

const entry = (day: string, micros: bigint, description = 'charges'): JournalEntry => ({
  id: `je:smm-panel:${day}`,
  date: day,
  sourceId: 'smm-panel',
  description,
  eventIds: [],
  lines: [debit('smm_services_expense', 'USD', micros), credit('panel_prepaid', 'USD', micros)],
});

/** 1.75, then two days of 0.004 (rendered 0.00 and 0.01 on the running totals), then 2.00. */
const ENTRIES = [
  entry('2026-03-02', 1_750_000n),
  entry('2026-03-03', 4_000n),
  entry('2026-03-04', 4_000n),
  entry('2026-03-05', 2_000_000n),
];

/** A person with the database's own tools, the refusals of edits lifted: SQLite drops the trigger, PostgreSQL disables it. */
async function behindTheTriggers(location: string, statements: readonly string[]): Promise<void> {
  if (!location.startsWith('postgres')) {
    const raw = new Database(location);
    raw.exec(`DROP TRIGGER IF EXISTS journal_lines_no_update; ${statements.join('; ')}`);
    raw.close();
    return;
  }
  const ledgerBooks = await openBooks(location);
  try {
    const run = (text: string) => withLedgerTables(ledgerBooks, (tables) => tables.runText(text));
    await run('ALTER TABLE journal_lines DISABLE TRIGGER journal_lines_no_update');
    for (const statement of statements) await run(statement);
  } finally {
    await ledgerBooks.close();
  }
}

async function ledgerFolder(location: string | undefined): Promise<{ dir: string; location: string }> {
  const dir = tempDir();
  const at = location ?? join(dir, 'ledger.sqlite');
  writeFileSync(join(dir, 'ledgerline.yaml'), `ledger: ${at}\ntimezone: UTC\ncurrency: USD\n`);
  return { dir, location: at };
}

async function append(location: string, entries: readonly JournalEntry[]): Promise<void> {
  const ledgerBooks = await openBooks(location);
  try {
    await ledgerBooks.ledger.appendEntries(entries, { now });
  } finally {
    await ledgerBooks.close();
  }
}

describe.each(LEDGER_ENGINES)('the cents that leave, chained, on %s', (engine) => {
  it("names an entry whose exported cents were moved by 1.00 behind the database's back, in words, and the export shows what it would have sent (exit 1)", async () => {
    const { dir, location } = await ledgerFolder(await engines.fresh(engine));
    await append(location, ENTRIES);
    expect((await runLedgerline(['verify'], { cwd: dir })).code).toBe(0);

    const moved = ENTRIES[0]!.id;
    await behindTheTriggers(location, [
      `UPDATE journal_lines SET cents = cents + 100 WHERE entry_id = '${moved}' AND line_no = 1`,
      `UPDATE journal_lines SET cents = cents - 100 WHERE entry_id = '${moved}' AND line_no = 2`,
    ]);
    const exported = await runLedgerline(
      ['export', '--format', 'generic', '--from', '2026-03-02', '--to', '2026-03-02'],
      { cwd: dir },
    );
    expect(exported.stdout).toContain('2.75');

    const run = await runLedgerline(['verify', '--json'], { cwd: dir });
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.verified).toBe(false);
    expect(report.broken).toMatchObject({ entryId: moved, position: 1 });
    expect(report.centsChanged).toBe(1);
    expect(report.centsChanges[0]).toMatchObject({
      entryId: moved,
      kept: ['smm_services_expense 2.75 USD', 'panel_prepaid -2.75 USD'],
      recomputed: ['smm_services_expense 1.75 USD', 'panel_prepaid -1.75 USD'],
    });
    expect(report.message).toContain(
      `entry ${moved} (dated 2026-03-02, source smm-panel) is exported and posted as smm_services_expense 2.75 USD, panel_prepaid -2.75 USD, but its amounts give smm_services_expense 1.75 USD, panel_prepaid -1.75 USD`,
    );
  });
});

describe('a ledger chained in form 1 (before migration 0026)', () => {
  /** The ledger the previous append wrote: form 1 links, cents with the lines, content hashes, running totals. */
  async function formOneLedger(location: string): Promise<void> {
    await ledgerBeforeMigration(location, '0026-chained-cents-and-closes', (sqlite) => {
      const line = sqlite.prepare(
        'INSERT INTO journal_lines (entry_id, line_no, account, currency, amount_micros, description, cents) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      const row = sqlite.prepare(
        'INSERT INTO journal_entries (id, date, source_id, description, event_ids, content_hash, created_at, chain_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      const rounding = sqlite.prepare(
        'INSERT INTO rendered_lines (entry_id, line_no, account, currency, cents, description) VALUES (?, ?, ?, ?, ?, ?)',
      );
      const totals = new Map<string, bigint>();
      let head = CHAIN_GENESIS;
      sqlite.transaction(() => {
        for (const booked of ENTRIES.slice(0, 3)) {
          const cents = renderEntryCents(booked.sourceId, booked.lines, totals);
          head = chainLink(head, { ...booked, eventIdsJson: JSON.stringify(booked.eventIds) });
          booked.lines.forEach((l, index) =>
            line.run(
              booked.id,
              index + 1,
              l.account,
              l.currency,
              l.amountMicros,
              l.description ?? null,
              cents.lineCents[index],
            ),
          );
          row.run(
            booked.id,
            booked.date,
            booked.sourceId,
            booked.description,
            JSON.stringify(booked.eventIds),
            entryContentHash(booked),
            now.toISOString(),
            head,
          );
          cents.roundingLines.forEach((l, index) =>
            rounding.run(
              booked.id,
              booked.lines.length + index + 1,
              l.account,
              l.currency,
              l.cents,
              l.description ?? null,
            ),
          );
        }
        // With the cents its lines rendered to, as every append since 0012 keeps them: the next cents are rendered from them.
        for (const [account, exact, debitCents, creditCents] of [
          ['smm_services_expense', 1_758_000n, 176n, 0n],
          ['panel_prepaid', -1_758_000n, 0n, 176n],
        ] as const) {
          sqlite
            .prepare(
              "INSERT INTO running_totals (source_id, account, currency, exact_micros, debit_micros, credit_micros, debit_cents, credit_cents) VALUES ('smm-panel', ?, 'USD', ?, 0, 0, ?, ?)",
            )
            .run(account, exact, debitCents, creditCents);
        }
      })();
    });
  }

  it("still verifies clean after the upgrade, goes on in form 2 for what is appended next, and names its own entries' moved cents", async () => {
    const { dir, location } = await ledgerFolder(undefined);
    await formOneLedger(location);
    const upgraded = await runLedgerline(['verify'], { cwd: dir });
    expect([upgraded.code, upgraded.stdout]).toEqual([0, expect.stringContaining('chain of 3 entries verified')]);

    await append(location, [ENTRIES[3]!]);
    const appended = await runLedgerline(['verify', '--json'], { cwd: dir });
    expect(appended.code, appended.stdout).toBe(0);
    expect(JSON.parse(appended.stdout)).toMatchObject({ verified: true, entries: 4 });

    // The third entry rendered 0.01 on the running total (0.004 + 0.004 → 0.01): moved to 0.00 and 0.00, both sides.
    await behindTheTriggers(location, [`UPDATE journal_lines SET cents = 0 WHERE entry_id = '${ENTRIES[2]!.id}'`]);
    const moved = await runLedgerline(['verify'], { cwd: dir });
    expect(moved.code).toBe(1);
    expect(moved.stdout).toContain(
      `entry ${ENTRIES[2]!.id} (dated 2026-03-04, source smm-panel) is exported and posted as no line, but its amounts give smm_services_expense 0.01 USD, panel_prepaid -0.01 USD`,
    );
  });
});
