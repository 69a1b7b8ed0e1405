import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startXeroFake } from '../../../sandbox/xero/fake.js';
import { EXIT, PeriodClosedError } from '../../../src/errors.js';
import { formatCents } from '../../../src/money/index.js';
import { SECRETS, bookEntries, runCli, writeConfig } from '../../cli/post-cli-harness.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../../support/ledger-engines.js';
import { useTempDir } from '../../support/temp-dir.js';
import { shippedChartsForFakes, spendEntry } from '../post-fixtures.js';
import { ledgerLocation } from '../post-books.js';
import { openLedgerTables } from '../../support/ledger-tables.js';

const tempDir = useTempDir('ledgerline-close-');
const engines = useLedgerEngines();
const charts = shippedChartsForFakes();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** An open finding dated in February: an action item until someone acknowledges it. */
async function openFinding(dir: string, ledgerUrl: string | undefined): Promise<void> {
  const tables = await openLedgerTables(ledgerLocation(join(dir, 'data'), ledgerUrl));
  try {
    await tables.run(
      tables.db.insertInto('discrepancies').values({
        id: 'f1',
        kind: 'balance_rise',
        source_id: 'smm-panel',
        date: '2024-02-20',
        amount_micros: 5_000_000n,
        currency: 'USD',
        ref: 'balance',
        message: 'panel balance rose 5.00',
        created_at: '2024-02-21T02:00:00Z',
        resolved_at: null,
      }),
    );
  } finally {
    await tables.close();
  }
}

/** A person with the database's own tools: one line of an entry edited with the refusals of edits lifted. */
async function editBehindTheTriggers(dir: string, ledgerUrl: string | undefined, entryId: string): Promise<void> {
  const edit = `UPDATE journal_lines SET amount_micros = amount_micros + 1 WHERE entry_id = '${entryId}' AND line_no = 1`;
  if (ledgerUrl === undefined) {
    const raw = new Database(join(dir, 'data', 'ledger.sqlite'));
    raw.exec(`DROP TRIGGER journal_lines_no_update; ${edit}`);
    raw.close();
    return;
  }
  const tables = await openLedgerTables(ledgerLocation(dir, ledgerUrl));
  const run = (text: string) => tables.run({ compile: () => sql.raw(text).compile(tables.db) });
  await run('ALTER TABLE journal_lines DISABLE TRIGGER journal_lines_no_update');
  await run(edit);
  await tables.close();
}

describe.each(LEDGER_ENGINES)('ledgerline close --period on %s', (engine) => {
  it("lists each blocker (exit 1); once cleared writes a certificate whose figures are balances --json and Xero's journals, and books nothing more into the month (exit 2)", async () => {
    const dir = tempDir();
    const ledgerUrl = await engines.fresh(engine);
    const xero = await startXeroFake({
      clientId: SECRETS.XERO_CLIENT_ID,
      clientSecret: SECRETS.XERO_CLIENT_SECRET,
      accounts: charts.xero,
    });
    closers.push(xero.close);
    const config = writeConfig(dir, { xero }, '', ledgerUrl);
    const cli = (args: string[]) => runCli([...args, '--config', config], { cwd: dir });
    await bookEntries(
      dir,
      [spendEntry(1, '2024-02-10'), spendEntry(2, '2024-02-29'), spendEntry(3, '2024-03-01')],
      ledgerUrl,
    );
    await openFinding(dir, ledgerUrl);
    xero.fake.setLockDates({ periodLockDate: '2024-01-31' });

    const refused = await cli(['close', '--period', '2024-02', '--json']);
    expect(refused.code, refused.stderr).toBe(1);
    expect(
      JSON.parse(refused.stdout).blockers.map((blocker: { kind: string; ref: string }) => [blocker.kind, blocker.ref]),
    ).toEqual([
      ['unposted_entries', 'xero'],
      ['destination_unlocked', 'xero'],
      ['open_action_item', 'f1'],
    ]);

    expect((await cli(['post', 'xero'])).code).toBe(0);
    expect((await cli(['reconcile', 'ack', 'f1', '--note', 'top-up 4471'])).code).toBe(0);
    xero.fake.setLockDates({ periodLockDate: '2024-02-29' });
    const closed = await cli(['close', '--period', '2024-02', '--json']);
    expect(closed.code, closed.stderr + closed.stdout).toBe(0);
    const outcome = JSON.parse(closed.stdout);
    // Beside the SQLite file, or beside the configuration of a PostgreSQL ledger.
    expect(outcome.certificateFile).toBe(
      join(dir, ...(ledgerUrl === undefined ? ['data'] : []), 'certificates', '2024-02.json'),
    );
    const bytes = readFileSync(outcome.certificateFile);
    expect(outcome.certificateSha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const certificate = JSON.parse(bytes.toString('utf8'));
    expect(certificate.trialBalance).toEqual(
      JSON.parse((await cli(['balances', '--as-of', '2024-02-29', '--json'])).stdout),
    );
    const journalIds = xero.fake
      .journals()
      .filter((journal) => journal.date <= '2024-02-29')
      .map((journal) => journal.manualJournalId)
      .sort();
    expect(certificate.destinations).toEqual([
      {
        name: 'xero',
        lockDate: '2024-02-29',
        lockedThroughPeriodEnd: true,
        journals: [
          expect.objectContaining({ entryId: spendEntry(1).id, date: '2024-02-10' }),
          expect.objectContaining({ entryId: spendEntry(2).id, date: '2024-02-29' }),
        ],
        totals: [{ currency: 'USD', debit: '2.03', credit: '2.03' }],
      },
    ]);
    expect(
      certificate.destinations[0].journals.map((journal: { journalId: string }) => journal.journalId).sort(),
    ).toEqual(journalIds);
    expect(certificate.chainHeadAtPeriodEnd).toMatchObject({
      entryId: spendEntry(2).id,
      position: 2,
      hash: outcome.chainHead,
    });
    // Each certified journal's totals are what Xero holds for it, read back from the fake.
    for (const journal of certificate.destinations[0].journals as {
      journalId: string;
      totals: { debit: string }[];
    }[]) {
      const held = xero.fake.journals().find((candidate) => candidate.manualJournalId === journal.journalId)!;
      expect(formatCents(held.lines.reduce((sum, line) => (line.cents > 0n ? sum + line.cents : sum), 0n))).toBe(
        journal.totals[0]!.debit,
      );
    }

    const late = bookEntries(dir, [spendEntry(4, '2024-02-29')], ledgerUrl);
    await expect(late).rejects.toThrowError(PeriodClosedError);
    await expect(late).rejects.toMatchObject({
      exitCode: EXIT.usage,
      message: expect.stringContaining(`in period 2024-02, closed by certificate sha256:${outcome.certificateSha256}`),
    });
    await bookEntries(dir, [spendEntry(5, '2024-03-02')], ledgerUrl);
    const again = await cli(['close', '--period', '2024-02']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('2024-02 is closed already');
    expect((await cli(['verify'])).code).toBe(0);
    expect((await cli(['reconcile'])).code).toBe(0);

    // A correction learned after the close: refused on its own date (exit 2), booked in March naming the date and February's certificate, and posted so.
    const lines = [
      '--debit',
      'smm_services_expense=0.50',
      '--credit',
      'panel_prepaid=0.50',
      '--reason',
      'refund learned after the close',
    ];
    const onItsDay = await cli(['adjust', '--date', '2024-02-20', ...lines]);
    expect(onItsDay.code, onItsDay.stderr).toBe(2);
    expect(onItsDay.stderr).toContain('2024-02-20 falls in a closed period');
    const notClosed = await cli(['adjust', '--date', '2024-03-04', '--corrects', '2024-03-01', ...lines]);
    expect([notClosed.code, notClosed.stderr]).toEqual([
      2,
      expect.stringContaining('--corrects 2024-03-01: no closed period holds that date'),
    ]);
    const named = `corrects 2024-02-20 in closed period 2024-02, certificate sha256:${outcome.certificateSha256}`;
    const correction = await cli(['adjust', '--date', '2024-03-04', '--corrects', '2024-02-20', ...lines, '--json']);
    expect(correction.code, correction.stderr).toBe(0);
    expect(JSON.parse(correction.stdout)).toMatchObject({
      date: '2024-03-04',
      reason: `refund learned after the close (${named})`,
    });
    expect((await cli(['post', 'xero'])).code).toBe(0);
    expect(xero.fake.journals().find((journal) => journal.date === '2024-03-04')?.narration).toContain(named);

    // The night after someone edits February behind the triggers: reconcile, and the tie-out with Xero, name the certificate and the entry.
    await editBehindTheTriggers(dir, ledgerUrl, spendEntry(1).id);
    const night = await cli(['reconcile', '--json']);
    expect(night.code).toBe(1);
    expect(JSON.parse(night.stdout).items).toContainEqual(
      expect.objectContaining({
        id: 'closed_period_changed:2024-02',
        class: 'action',
        ref: spendEntry(1).id,
        message: expect.stringContaining(`certificate sha256:${outcome.certificateSha256}`),
      }),
    );
    const tieOut = await cli(['reconcile', '--with', 'xero', '--as-of', '2024-03-31']);
    expect(tieOut.code).toBe(1);
    expect(tieOut.stdout).toContain(`closed period 2024-02 (certificate sha256:${outcome.certificateSha256}`);
    expect(tieOut.stdout).toContain(`breaks at entry ${spendEntry(1).id} (2024-02-10, source smm-panel)`);
  });
});
