import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { sandboxBankStatement } from '../../sandbox/bank/bank-statement-plan.js';
import { csvStatementText } from '../../sandbox/bank/statement-writers.js';
import { adjustmentBooks, approveAdjustment } from '../../src/pipeline/adjustments/index.js';
import { MONTH_END } from '../scenarios/month-end-world.js';
import { bankStatementWorkspace } from './bank-statement-workspace.js';
import { withOpenBooks } from './books.js';
import { builtWorld } from './built-worlds.js';
import { runLedgerline, type CliRun } from './cli.js';
import { withLedgerTables } from './ledger-tables.js';

/**
 * The ledger an outside trial tampers with (issue 52): the month-end world synced through 04-30 (raw replies,
 * events, entries and their links), a bank statement landed (the 03-25 top-up's card line and the 03-31 payout's
 * line, so both are matched and their bank legs booked), each March finding acknowledged, an adjusting entry
 * booked and approved by a second person, and March closed. Built once per file; each case tampers with a copy.
 */
export const ADJUSTMENT_ID = 'je:adjustment:2026-04-30:1';
export const NEWEST_ENTRY_SQL = 'SELECT id FROM journal_entries ORDER BY seq DESC LIMIT 1';

export async function tamperingWorld(dir: string): Promise<string> {
  const statement = sandboxBankStatement(
    [
      {
        id: 'panel:smm-panel:topup:2026-03-25',
        kind: 'topup',
        amountMicros: 100_000_000n,
        currency: 'USD',
        sentOn: '2026-03-25',
      },
      {
        id: 'payelancer:ads-publisher:payout:2026-03-31',
        kind: 'payout',
        amountMicros: 55_000_000n,
        currency: 'USD',
        sentOn: '2026-03-31',
      },
    ],
    { account: 'US-OPERATING', currency: 'USD', from: '2026-03-01', to: '2026-04-30' },
  );
  await bankStatementWorkspace(
    dir,
    (await builtWorld(MONTH_END)).ledgerAfter('2026-04-30'),
    'april.csv',
    csvStatementText(statement),
  );
  appendFileSync(join(dir, 'ledgerline.yaml'), 'adjustments: { requireApproval: true }\n');
  const cli = (args: string[]) => runLedgerline(args, { cwd: dir });
  // Records each item's state with its evidence (transit_states); exit 1: the 04-08 top-up is late.
  expect((await cli(['transit'])).code).toBe(1);
  const blocked = JSON.parse((await cli(['close', '--period', '2026-03', '--json'])).stdout) as {
    blockers: { kind: string; ref: string }[];
  };
  for (const blocker of blocked.blockers) {
    expect(blocker.kind, JSON.stringify(blocker)).toBe('open_action_item');
    expectOk(await cli(['reconcile', 'ack', blocker.ref, '--note', 'seen by the accountant']));
  }
  expectOk(
    await cli([
      'adjust',
      '--date',
      '2026-04-30',
      '--debit',
      'bank_fees=1.25',
      '--credit',
      'suspense=1.25',
      '--reason',
      'bank fee on the April statement',
    ]),
  );
  await withOpenBooks(join(dir, 'data', 'ledger.sqlite'), (books) =>
    approveAdjustment(
      { decide: (work) => books.decide((tx) => work({ adjustments: tx.of(adjustmentBooks) })) },
      ADJUSTMENT_ID,
      {
        user: 'second-person',
        now: new Date('2026-05-01T09:00:00Z'),
      },
    ),
  );
  expectOk(await cli(['close', '--period', '2026-03']));
  return dir;
}

function expectOk(run: CliRun): void {
  expect(run.code, run.stdout + run.stderr).toBe(0);
}

/** A copy of the world's folder (its SQLite ledger and certificates), for one case. */
export function copyWorld(world: string, dir: string): string {
  cpSync(world, dir, { recursive: true });
  return dir;
}

/**
 * A person with a sqlite3 shell (foreign keys off, its default): every trigger dropped, then `statements` run. The
 * drops go in one transaction: each alone is a commit synced to disk (74 triggers: 2.3 s at load 30, 0.1 s in one).
 */
export function tamperSqlite(dir: string, statements: string): void {
  const raw = new Database(join(dir, 'data', 'ledger.sqlite'));
  try {
    raw.pragma('foreign_keys = OFF');
    const triggers = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[];
    raw.transaction(() => {
      for (const { name } of triggers) raw.exec(`DROP TRIGGER "${name}"`);
    })();
    raw.exec(statements);
  } finally {
    raw.close();
  }
}

/** The same person on PostgreSQL: every trigger of the ledger's tables disabled (`ALTER TABLE … DISABLE TRIGGER ALL` needs a superuser; the user ones suffice), then `statements` run. */
export async function tamperPostgres(url: string, statements: string): Promise<void> {
  await withLedgerTables(url, async ({ db, all, runText }) => {
    const tables = await all({
      compile: () =>
        sql<{
          table: string;
        }>`SELECT DISTINCT event_object_table AS table FROM information_schema.triggers WHERE trigger_schema = current_schema()`.compile(
          db,
        ),
    });
    for (const { table } of tables) await runText(`ALTER TABLE "${table}" DISABLE TRIGGER USER`);
    for (const statement of statements
      .split(';')
      .map((text) => text.trim())
      .filter((text) => text !== ''))
      await runText(statement);
  });
}

/** The folder's configuration pointed at another ledger (a PostgreSQL copy). */
export function pointAt(dir: string, ledger: string): void {
  const config = join(dir, 'ledgerline.yaml');
  writeFileSync(config, readFileSync(config, 'utf8').replace(/^ledger: .*$/m, `ledger: ${ledger}`));
}
