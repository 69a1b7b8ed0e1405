import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXeroFake, type RunningXeroFake } from '../../sandbox/xero/fake.js';
import { formatCents } from '../../src/money/index.js';
import { SECRETS, bookEntries, runCli, writeConfig } from '../cli/post-cli-harness.js';
import { shippedChartsForFakes, spendEntry } from '../pipeline/post-fixtures.js';

// One world for the file (tests read it in order), so its folder outlives each test.
const dir = mkdtempSync(join(tmpdir(), 'ledgerline-certified-'));
let xero: RunningXeroFake;
let cli: (args: string[]) => ReturnType<typeof runCli>;
let certificateSha256: string;
let certificateFile: string;

/** February posted to Xero, locked there through its end and closed: a certificate naming its three journals. */
beforeAll(async () => {
  xero = await startXeroFake({
    clientId: SECRETS.XERO_CLIENT_ID,
    clientSecret: SECRETS.XERO_CLIENT_SECRET,
    accounts: shippedChartsForFakes().xero,
  });
  const config = writeConfig(dir, { xero });
  cli = (args) => runCli([...args, '--config', config], { cwd: dir });
  await bookEntries(dir, [spendEntry(1, '2024-02-10'), spendEntry(2, '2024-02-20'), spendEntry(3, '2024-02-29')]);
  expect((await cli(['post', 'xero'])).code).toBe(0);
  xero.fake.setLockDates({ periodLockDate: '2024-02-29' });
  const closed = await cli(['close', '--period', '2024-02', '--json']);
  expect(closed.code, closed.stderr + closed.stdout).toBe(0);
  ({ certificateSha256, certificateFile } = JSON.parse(closed.stdout));
});
afterAll(async () => {
  await xero.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The journal ledgerline posted for entry `index`, as Xero holds it. */
const journalOf = (index: number) =>
  xero.fake.journals().find((journal) => journal.narration.includes(spendEntry(index).id))!;

/** The adviser at Xero's screen, past the lock, through the fake's admin call. */
async function admin(body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${xero.origin}/xero/__admin/journal`, { method: 'POST', body: JSON.stringify(body) });
  expect(response.status, await response.text()).toBe(200);
}

describe('reconcile --with xero against the certificates of closed periods', () => {
  it('is clean while Xero holds what the certificate names', async () => {
    const night = await cli(['reconcile', '--with', 'xero', '--as-of', '2024-03-31']);
    expect(night.code, night.stdout + night.stderr).toBe(0);
  });

  it('names a journal edited behind the lock with the certificate and both figures, then one voided, exit 1', async () => {
    const edited = journalOf(1);
    const lines = edited.lines.map((line) => ({
      accountCode: line.accountCode,
      amount: formatCents(line.cents > 0n ? line.cents + 49n : line.cents - 49n),
    }));
    await admin({ action: 'edit', id: edited.manualJournalId, lines });
    const night = await cli(['reconcile', '--with', 'xero', '--as-of', '2024-03-31', '--json']);
    expect(night.code, night.stdout + night.stderr).toBe(1);
    const certificate = `closed period 2024-02 (certificate sha256:${certificateSha256})`;
    expect(JSON.parse(night.stdout).items).toContainEqual({
      id: `with:xero:closed_period_changed_at_destination:${spendEntry(1).id}`,
      kind: 'closed_period_changed_at_destination',
      source: 'xero',
      date: '2024-02-10',
      amount: '1.01',
      currency: 'USD',
      ref: spendEntry(1).id,
      remoteId: edited.manualJournalId,
      ledger: 'debit 1.01 credit 1.01 USD',
      destination: 'debit 1.50 credit 1.50 USD',
      message: `${certificate}: Xero journal ${edited.manualJournalId} for entry ${spendEntry(1).id} (2024-02-10) was edited behind the lock: certified debit 1.01 credit 1.01 USD, now debit 1.50 credit 1.50 USD`,
    });

    const voided = journalOf(3);
    await admin({ action: 'void', id: voided.manualJournalId });
    const next = await cli(['reconcile', '--with', 'xero', '--as-of', '2024-03-31']);
    expect(next.code).toBe(1);
    expect(next.stdout).toContain(
      `${certificate}: Xero journal ${voided.manualJournalId} for entry ${spendEntry(3).id} (2024-02-29) was removed behind the lock: certified debit 1.03 credit 1.03 USD, now voided`,
    );
    expect(next.stdout).toContain(
      `Xero journal ${edited.manualJournalId} for entry ${spendEntry(1).id} (2024-02-10) was edited behind the lock`,
    );
    expect(next.stdout).not.toContain(spendEntry(2).id + ' (2024-02-20) was');
  });

  it('names a journal a person added in the closed period at Xero, which the certificate does not name, exit 1', async () => {
    const lines = journalOf(2).lines.map((line) => ({
      accountCode: line.accountCode,
      amount: formatCents(line.cents > 0n ? 1250n : -1250n),
    }));
    const response = await fetch(`${xero.origin}/xero/__admin/journal`, {
      method: 'POST',
      body: JSON.stringify({ action: 'add', date: '2024-02-15', lines }),
    });
    const { added } = (await response.json()) as { added: string };
    const night = await cli(['reconcile', '--with', 'xero', '--as-of', '2024-03-31']);
    expect(night.code).toBe(1);
    expect(night.stdout).toContain(
      `closed period 2024-02 (certificate sha256:${certificateSha256}): Xero journal ${added} (not in the certificate) was added behind the lock: certified none, now debit 12.50 credit 12.50 USD`,
    );
  });

  it('names a certificate file changed since the close, which nothing can be compared against, exit 1', async () => {
    appendFileSync(certificateFile, ' ');
    const night = await cli(['reconcile', '--with', 'xero', '--as-of', '2024-03-31', '--json']);
    expect(night.code).toBe(1);
    expect(JSON.parse(night.stdout).items).toContainEqual(
      expect.objectContaining({
        kind: 'certificate_file_changed',
        ref: certificateFile,
        message: expect.stringContaining(`not the sha256:${certificateSha256} the ledger kept at the close`),
      }),
    );
  });
});
