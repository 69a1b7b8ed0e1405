import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQuickBooksFake, type RunningQuickBooksFake } from '../../../sandbox/quickbooks/fake.js';
import { startXeroFake, type RunningXeroFake } from '../../../sandbox/xero/fake.js';
import { formatCents } from '../../../src/money/index.js';
import { SECRETS, bookEntries, runCli, writeConfig } from '../../cli/post-cli-harness.js';
import { shippedChartsForFakes, spendEntry } from '../post-fixtures.js';

// One world for the file (the nights run in order, each reading what the one before kept), so its folder outlives each test.
const dir = mkdtempSync(join(tmpdir(), 'ledgerline-drift-night-'));
const charts = shippedChartsForFakes();
let xero: RunningXeroFake;
let quickbooks: RunningQuickBooksFake;
let cli: (args: string[]) => ReturnType<typeof runCli>;
let certificate: string;

/** February posted to Xero and QuickBooks, locked at both through its end and closed; a schedule that posts nothing and alerts into files. */
beforeAll(async () => {
  xero = await startXeroFake({
    clientId: SECRETS.XERO_CLIENT_ID,
    clientSecret: SECRETS.XERO_CLIENT_SECRET,
    accounts: charts.xero,
  });
  quickbooks = await startQuickBooksFake({
    clientId: SECRETS.QBO_CLIENT_ID,
    clientSecret: SECRETS.QBO_CLIENT_SECRET,
    refreshToken: SECRETS.QBO_REFRESH_TOKEN,
    accounts: charts.quickbooks,
  });
  const schedule =
    'schedule: { cron: "30 2 * * *", timezone: UTC, post: [] }\nalerts: { command: "cat > alert-$$.json" }\n';
  const config = writeConfig(dir, { xero, quickbooks }, schedule);
  cli = (args) => runCli([...args, '--config', config], { cwd: dir });
  await bookEntries(dir, [spendEntry(1, '2024-02-10'), spendEntry(2, '2024-02-20')]);
  expect((await cli(['post', 'xero'])).code).toBe(0);
  expect((await cli(['post', 'quickbooks'])).code).toBe(0);
  xero.fake.setLockDates({ periodLockDate: '2024-02-29' });
  quickbooks.fake.setBookCloseDate('2024-02-29');
  const closed = await cli(['close', '--period', '2024-02', '--json']);
  expect(closed.code, closed.stderr + closed.stdout).toBe(0);
  certificate = `closed period 2024-02 (certificate sha256:${JSON.parse(closed.stdout).certificateSha256}`;
});
afterAll(async () => {
  await xero.close();
  await quickbooks.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One night (`schedule --once`): its exit code and the items of the discrepancies alert it sent, if any (the alert files are then removed). */
async function night(): Promise<{ code: number | null; items: { subject: string; kind: string; message: string }[] }> {
  const run = await cli(['schedule', '--once']);
  const items = readdirSync(dir)
    .filter((name) => name.startsWith('alert-'))
    .flatMap((name) => {
      const alert = JSON.parse(readFileSync(join(dir, name), 'utf8')) as {
        kind: string;
        items: { subject: string; kind: string; message: string }[];
      };
      rmSync(join(dir, name));
      return alert.kind === 'discrepancies' ? alert.items : [];
    });
  return { code: run.code, items };
}

describe('schedule --once re-verifies the closed periods', () => {
  it('is quiet while nothing closed has changed', async () => {
    expect(await night()).toEqual({ code: 0, items: [] });
  });

  it('alerts a journal edited at Xero behind the lock once, naming the certificate, the journal and both figures, and not again the next night', async () => {
    const edited = xero.fake.journals().find((journal) => journal.narration.includes(spendEntry(1).id))!;
    const lines = edited.lines.map((line) => ({
      accountCode: line.accountCode,
      amount: formatCents(line.cents > 0n ? 150n : -150n),
    }));
    expect(
      (
        await fetch(`${xero.origin}/xero/__admin/journal`, {
          method: 'POST',
          body: JSON.stringify({ action: 'edit', id: edited.manualJournalId, lines }),
        })
      ).status,
    ).toBe(200);

    const first = await night();
    expect(first.code).toBe(1);
    expect(first.items).toEqual([
      {
        subject: 'xero',
        kind: 'closed_period_changed_at_destination',
        message: `${certificate}): Xero journal ${edited.manualJournalId} for entry ${spendEntry(1).id} (2024-02-10) was edited behind the lock: certified debit 1.01 credit 1.01 USD, now debit 1.50 credit 1.50 USD`,
        nextStep: expect.stringContaining('ledgerline reconcile --with xero'),
      },
    ]);
    expect(await night()).toEqual({ code: 1, items: [] });
  });

  it('alerts a QuickBooks entry added in the closed period, and only it, the night it appears', async () => {
    const lines = quickbooks.fake
      .journalEntries()[0]!
      .lines.map((line) => ({ accountId: line.accountId, amount: line.postingType === 'Debit' ? '12.50' : '-12.50' }));
    const response = await fetch(`${quickbooks.origin}/quickbooks/__admin/journal`, {
      method: 'POST',
      body: JSON.stringify({ action: 'add', date: '2024-02-15', lines }),
    });
    const { added } = (await response.json()) as { added: string };

    const next = await night();
    expect(next.code).toBe(1);
    expect(next.items.map((item) => [item.subject, item.message])).toEqual([
      [
        'quickbooks',
        `${certificate}): QuickBooks journal ${added} (not in the certificate) was added behind the lock: certified none, now debit 12.50 credit 12.50 USD`,
      ],
    ]);
  });

  it('alerts an entry of the closed period changed in the ledger itself, with the certified and recomputed chain heads', async () => {
    const raw = new Database(join(dir, 'data', 'ledger.sqlite'));
    raw.exec(
      `DROP TRIGGER journal_lines_no_update; UPDATE journal_lines SET amount_micros = amount_micros + 1 WHERE entry_id = '${spendEntry(2).id}' AND line_no = 1`,
    );
    raw.close();

    const next = await night();
    expect(next.code).toBe(1);
    expect(next.items).toEqual([
      expect.objectContaining({
        subject: 'ledger',
        kind: 'closed_period_changed',
        message: expect.stringMatching(
          new RegExp(
            `^closed period 2024-02 \\(certificate sha256:[0-9a-f]{64}, closed .*breaks at entry ${spendEntry(2).id} \\(2024-02-20, source smm-panel\\).*certified head [0-9a-f]{64}, recomputed [0-9a-f]{64}`,
          ),
        ),
      }),
    ]);
  });

  it('alerts once a destination it cannot read, and goes on with the others, rather than failing the night', async () => {
    quickbooks.fake.revokeTokens();
    const next = await night();
    expect(next.code).toBe(1);
    expect(next.items.map((item) => [item.subject, item.message])).toEqual([
      ['quickbooks', expect.stringMatching(/^the closed periods could not be re-verified at quickbooks: /)],
    ]);
    expect(await night()).toEqual({ code: 1, items: [] });
  });

  it('alerts the certificate file edited after the close, naming its path and the SHA-256 to restore', async () => {
    const file = join(dir, 'data', 'certificates', '2024-02.json');
    writeFileSync(file, `${readFileSync(file, 'utf8')} `);
    const next = await night();
    expect(next.code).toBe(1);
    expect(next.items).toContainEqual(
      expect.objectContaining({
        subject: 'ledger',
        kind: 'certificate_file_changed',
        message: expect.stringMatching(
          new RegExp(
            `^the certificate of closed period 2024-02 \\(${file}\\) has sha256:[0-9a-f]{64}, not the sha256:[0-9a-f]{64} recorded at its close`,
          ),
        ),
      }),
    );
  });
});
