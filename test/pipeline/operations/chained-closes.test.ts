import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credit, debit, type JournalEntry } from '../../../src/rules/index.js';
import { runLedgerline } from '../../support/cli.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../../support/ledger-engines.js';
import { useTempDir } from '../../support/temp-dir.js';
import { openBooks } from '../../support/books.js';
import { withLedgerTables } from '../../support/ledger-tables.js';

const tempDir = useTempDir();
const engines = useLedgerEngines();

const entry = (day: string, micros: bigint): JournalEntry => ({
  id: `je:smm-panel:${day}`,
  date: day,
  sourceId: 'smm-panel',
  description: 'charges',
  eventIds: [],
  lines: [debit('smm_services_expense', 'USD', micros), credit('panel_prepaid', 'USD', micros)],
});

async function append(location: string, entries: readonly JournalEntry[]): Promise<void> {
  const ledgerBooks = await openBooks(location);
  try {
    await ledgerBooks.ledger.appendEntries(entries, { now: new Date('2026-04-02T02:00:00Z') });
  } finally {
    await ledgerBooks.close();
  }
}

/** Statements run with the database's own tools, the refusals of edits on `tables` lifted (SQLite drops them, PostgreSQL disables them). */
async function behindTheTriggers(
  location: string,
  tables: readonly string[],
  statements: readonly string[],
): Promise<void> {
  if (!location.startsWith('postgres')) {
    const raw = new Database(location);
    for (const table of tables)
      raw.exec(`DROP TRIGGER IF EXISTS ${table}_no_update; DROP TRIGGER IF EXISTS ${table}_no_delete`);
    for (const statement of statements) raw.exec(statement);
    raw.close();
    return;
  }
  const ledgerBooks = await openBooks(location);
  try {
    const run = (text: string) => withLedgerTables(ledgerBooks, (tables) => tables.runText(text));
    for (const table of tables) await run(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
    for (const statement of statements) await run(statement);
  } finally {
    await ledgerBooks.close();
  }
}

const ADJUST_IN_MARCH = [
  'adjust',
  '--date',
  '2026-03-20',
  '--debit',
  'smm_services_expense=1.00',
  '--credit',
  'panel_prepaid=1.00',
  '--reason',
  'booked into March',
];

describe.each(LEDGER_ENGINES)('the closes, chained, on %s', (engine) => {
  it('names a deleted or rewritten close row and a changed certificate file; March stays closed whatever row is deleted', async () => {
    const dir = tempDir();
    const location = (await engines.fresh(engine)) ?? join(dir, 'ledger.sqlite');
    writeFileSync(join(dir, 'ledgerline.yaml'), `ledger: ${location}\ntimezone: UTC\ncurrency: USD\n`);
    const cli = (args: string[]) => runLedgerline(args, { cwd: dir });
    await append(location, [entry('2026-03-02', 1_750_000n), entry('2026-03-30', 2_000_000n)]);
    const closed = await cli(['close', '--period', '2026-03', '--json']);
    expect(closed.code, closed.stderr).toBe(0);
    const { certificateFile, certificateSha256 } = JSON.parse(closed.stdout) as {
      certificateFile: string;
      certificateSha256: string;
    };
    await append(location, [entry('2026-04-01', 500_000n)]);
    const clean = await cli(['verify']);
    expect([clean.code, clean.stdout]).toEqual([0, expect.stringContaining('chain of 3 entries and 1 close verified')]);

    const keep = (table: string) => `INSERT INTO ${table} SELECT * FROM kept_${table}`;
    await behindTheTriggers(
      location,
      [],
      [
        'CREATE TABLE kept_closed_periods AS SELECT * FROM closed_periods',
        'CREATE TABLE kept_chain_closes AS SELECT * FROM chain_closes',
      ],
    );

    // The closed_periods row deleted: named, and March refuses an adjusting entry still.
    await behindTheTriggers(location, ['closed_periods'], ['DELETE FROM closed_periods']);
    const rowGone = await cli(['verify']);
    expect(rowGone.code).toBe(1);
    expect(rowGone.stdout).toContain('closed period 2026-03: the chain records its close');
    expect(rowGone.stdout).toContain(
      'closed_periods has no row for it: the row was deleted outside ledgerline. 2026-03 stays closed',
    );
    const refused = await cli(ADJUST_IN_MARCH);
    expect([refused.code, refused.stderr]).toEqual([
      2,
      expect.stringContaining('is dated 2026-03-20, in period 2026-03, closed by certificate'),
    ]);
    const reconciled = await cli(['reconcile', '--json']);
    expect(reconciled.code).toBe(1);
    expect(JSON.parse(reconciled.stdout).items).toContainEqual(
      expect.objectContaining({ id: 'closed_period_changed:2026-03:record', class: 'action' }),
    );
    await behindTheTriggers(location, [], [keep('closed_periods')]);
    expect((await cli(['verify'])).code).toBe(0);

    // The chain's record of the close deleted: the entry after it breaks, the row is named, and March is still closed.
    await behindTheTriggers(location, ['chain_closes'], ['DELETE FROM chain_closes']);
    const recordGone = await cli(['verify']);
    expect(recordGone.code).toBe(1);
    expect(recordGone.stdout).toContain('chain broken at entry je:smm-panel:2026-04-01');
    expect(recordGone.stdout).toContain('closed period 2026-03: closed_periods keeps its close');
    expect((await cli(ADJUST_IN_MARCH)).code).toBe(2);
    await behindTheTriggers(location, [], [keep('chain_closes')]);
    expect((await cli(['verify'])).code).toBe(0);

    // The certificate's head rewritten, with its SHA-256 in closed_periods: named; in the chain's record too: the close's link breaks.
    const original = readFileSync(certificateFile, 'utf8');
    const forged = original.replace(/"hash": "[0-9a-f]{64}"/, `"hash": "${'f'.repeat(64)}"`);
    expect(forged).not.toBe(original);
    writeFileSync(certificateFile, forged);
    const forgedSha = createHash('sha256').update(forged).digest('hex');
    await behindTheTriggers(
      location,
      [],
      [`UPDATE closed_periods SET certificate_sha256 = '${forgedSha}', chain_head = '${'f'.repeat(64)}'`],
    );
    const rewritten = await cli(['verify']);
    expect(rewritten.code).toBe(1);
    expect(rewritten.stdout).toContain(`closed period 2026-03: closed_periods says certificate sha256:${forgedSha}`);
    expect(rewritten.stdout).toContain(
      `but the chain's record of the close says certificate sha256:${certificateSha256}`,
    );
    await behindTheTriggers(
      location,
      ['chain_closes'],
      [`UPDATE chain_closes SET certificate_sha256 = '${forgedSha}', chain_head = '${'f'.repeat(64)}'`],
    );
    const bothRewritten = await cli(['verify']);
    expect(bothRewritten.code).toBe(1);
    expect(bothRewritten.stdout).toContain('chain broken at the close of 2026-03 (recorded after entry 2 of 3)');
    await behindTheTriggers(
      location,
      [],
      ['DELETE FROM closed_periods', 'DELETE FROM chain_closes', keep('closed_periods'), keep('chain_closes')],
    );
    writeFileSync(certificateFile, original);
    expect((await cli(['verify'])).code).toBe(0);

    // The certificate file edited, then deleted: named with its path and what to do, by verify and by reconcile.
    writeFileSync(certificateFile, original.replace('"period": "2026-03"', '"period": "2026-03" '));
    for (const args of [['verify'], ['reconcile']]) {
      const edited = await cli(args);
      expect(edited.code).toBe(1);
      expect(edited.stdout).toContain(`the certificate of closed period 2026-03 (${certificateFile}) has sha256:`);
      expect(edited.stdout).toContain(`restore it from a backup whose SHA-256 is ${certificateSha256}`);
    }
    rmSync(certificateFile);
    for (const args of [['verify'], ['reconcile']]) {
      const missing = await cli(args);
      expect(missing.code).toBe(1);
      expect(missing.stdout).toContain(
        `the certificate of closed period 2026-03 (${certificateFile}) is missing: restore it from a backup whose SHA-256 is ${certificateSha256}`,
      );
    }
  });
});
