import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQuickBooksFake, type RunningQuickBooksFake } from '../../sandbox/quickbooks/fake.js';
import { formatCents } from '../../src/money/index.js';
import { SECRETS, bookEntries, runCli, writeConfig } from '../cli/post-cli-harness.js';
import { shippedChartsForFakes, spendEntry } from '../pipeline/post-fixtures.js';

// One world for the file (tests read it in order), so its folder outlives each test.
const dir = mkdtempSync(join(tmpdir(), 'ledgerline-certified-qbo-'));
let quickbooks: RunningQuickBooksFake;
let cli: (args: string[]) => ReturnType<typeof runCli>;
let certificate: string;
let certificateFile: string;

/** February posted to QuickBooks, its books closed through the month's end there and closed here: a certificate naming its three entries. */
beforeAll(async () => {
  quickbooks = await startQuickBooksFake({
    clientId: SECRETS.QBO_CLIENT_ID,
    clientSecret: SECRETS.QBO_CLIENT_SECRET,
    refreshToken: SECRETS.QBO_REFRESH_TOKEN,
    accounts: shippedChartsForFakes().quickbooks,
  });
  const config = writeConfig(dir, { quickbooks });
  cli = (args) => runCli([...args, '--config', config], { cwd: dir });
  await bookEntries(dir, [spendEntry(1, '2024-02-10'), spendEntry(2, '2024-02-20'), spendEntry(3, '2024-02-29')]);
  expect((await cli(['post', 'quickbooks'])).code).toBe(0);
  quickbooks.fake.setBookCloseDate('2024-02-29');
  const closed = await cli(['close', '--period', '2024-02', '--json']);
  expect(closed.code, closed.stderr + closed.stdout).toBe(0);
  certificate = `closed period 2024-02 (certificate sha256:${JSON.parse(closed.stdout).certificateSha256})`;
  ({ certificateFile } = JSON.parse(closed.stdout));
});
afterAll(async () => {
  await quickbooks.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The entry ledgerline posted for spend entry `index`, as QuickBooks holds it. */
const entryOf = (index: number) =>
  quickbooks.fake.journalEntries().find((entry) => entry.privateNote?.includes(spendEntry(index).id))!;

/** The accountant at QuickBooks' screen, past the close date, through the fake's admin call; its JSON answer. */
async function admin(body: Record<string, unknown>): Promise<Record<string, string>> {
  const response = await fetch(`${quickbooks.origin}/quickbooks/__admin/journal`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, string>;
}

/** Entry `index`'s lines at `cents` a side, as the admin call takes them (debit positive). */
const linesAt = (index: number, cents: string) =>
  entryOf(index).lines.map((line) => ({
    accountId: line.accountId,
    amount: line.postingType === 'Debit' ? cents : `-${cents}`,
  }));

describe('reconcile --with quickbooks against the certificates of closed periods', () => {
  it("certifies balances --json and each journal entry's totals as QuickBooks holds them", async () => {
    const certified = JSON.parse(readFileSync(certificateFile, 'utf8'));
    expect(certified.trialBalance).toEqual(
      JSON.parse((await cli(['balances', '--as-of', '2024-02-29', '--json'])).stdout),
    );
    const journals = certified.destinations[0].journals as {
      entryId: string;
      journalId: string;
      totals: { debit: string; credit: string }[];
    }[];
    expect(journals.map((journal) => journal.entryId)).toEqual([1, 2, 3].map((index) => spendEntry(index).id));
    for (const journal of journals) {
      const held = quickbooks.fake.journalEntries().find((entry) => entry.id === journal.journalId)!;
      const side = (type: string) =>
        formatCents(held.lines.filter((line) => line.postingType === type).reduce((sum, line) => sum + line.cents, 0n));
      expect([{ debit: side('Debit'), credit: side('Credit') }]).toEqual(
        journal.totals.map(({ debit, credit }) => ({ debit, credit })),
      );
    }
  });

  it('is clean while QuickBooks holds what the certificate names', async () => {
    const night = await cli(['reconcile', '--with', 'quickbooks', '--as-of', '2024-03-31']);
    expect(night.code, night.stdout + night.stderr).toBe(0);
  });

  it('names an entry edited, one deleted and one added behind the close date, each with the certificate and both figures, exit 1', async () => {
    const edited = entryOf(1).id;
    const deleted = entryOf(3).id;
    await admin({ action: 'edit', id: edited, lines: linesAt(1, '1.50') });
    await admin({ action: 'delete', id: deleted });
    const { added } = await admin({ action: 'add', date: '2024-02-15', lines: linesAt(2, '12.50') });

    const night = await cli(['reconcile', '--with', 'quickbooks', '--as-of', '2024-03-31', '--json']);
    expect(night.code, night.stderr).toBe(1);
    const items = JSON.parse(night.stdout).items as { kind: string; message: string }[];
    const changes = items
      .filter((item) => item.kind === 'closed_period_changed_at_destination')
      .map((item) => item.message);
    expect(changes.sort()).toEqual(
      [
        `${certificate}: QuickBooks journal ${edited} for entry ${spendEntry(1).id} (2024-02-10) was edited behind the lock: certified debit 1.01 credit 1.01 USD, now debit 1.50 credit 1.50 USD`,
        `${certificate}: QuickBooks journal ${deleted} for entry ${spendEntry(3).id} (2024-02-29) was removed behind the lock: certified debit 1.03 credit 1.03 USD, now no longer there (deleted)`,
        `${certificate}: QuickBooks journal ${added} (not in the certificate) was added behind the lock: certified none, now debit 12.50 credit 12.50 USD`,
      ].sort(),
    );
  });
});
