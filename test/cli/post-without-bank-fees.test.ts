import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { packageMappingsDir } from '../../src/config/index.js';
import type { JournalEntry } from '../../src/rules/index.js';
import { startQuickBooksFake } from '../../sandbox/quickbooks/fake.js';
import { QUICKBOOKS_ACCOUNTS_WITHOUT_BANK_FEES } from '../../sandbox/quickbooks/settings.js';
import { startXeroFake } from '../../sandbox/xero/fake.js';
import { XERO_ACCOUNTS_WITHOUT_BANK_FEES } from '../../sandbox/xero/settings.js';
import { useTempDir } from '../support/temp-dir.js';
import { spendEntry } from '../pipeline/post-fixtures.js';
import { SECRETS, assertBuilt, bookEntries, runCli, writeConfig } from './post-cli-harness.js';

/**
 * Issue 51, item 12: the chart ships `bank_fees` (Xero 404, QuickBooks 15 "Bank Charges"), and an organisation set
 * up before it has no such account (the sandbox's `--destination-chart without-bank-fees`). Through the built CLI
 * and real HTTP: `post` delivers every entry that does not use it (exit 0) and `doctor` warns; once an entry is
 * booked to bank_fees, `post` holds that one back naming the account, the mapping file and what to create, and
 * delivers the rest (exit 1, the held entry an action item), and `doctor` fails on it.
 */

const tempDir = useTempDir('ledgerline-without-bank-fees-');
const closers: (() => Promise<void>)[] = [];
beforeAll(assertBuilt);
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A payout 2.50 short, accepted: Dr bank_fees, Cr the PayPal clearing account. */
function bankFeeEntry(date: string): JournalEntry {
  return {
    id: `je:adjustment:${date}:1`,
    date,
    sourceId: 'adjustment',
    description: 'Bank fee withheld from payout po-7',
    eventIds: [],
    lines: [
      { account: 'bank_fees', currency: 'USD', amountMicros: 2_500_000n },
      { account: 'payout_clearing_paypal', currency: 'USD', amountMicros: -2_500_000n },
    ],
  };
}

const DESTINATIONS = [
  {
    name: 'xero',
    file: 'xero.yaml',
    subject: 'account 404 (bank_fees): does not exist in Xero',
    create: 'create account 404 in Xero (Accounting → Chart of accounts → Add Account, code 404)',
    start: async () => {
      const xero = await startXeroFake({
        clientId: SECRETS.XERO_CLIENT_ID,
        clientSecret: SECRETS.XERO_CLIENT_SECRET,
        accounts: XERO_ACCOUNTS_WITHOUT_BANK_FEES,
      });
      return { fakes: { xero }, delivered: () => xero.fake.journals().length, close: xero.close };
    },
  },
  {
    name: 'quickbooks',
    file: 'quickbooks.yaml',
    subject: 'account 15 "Bank Charges" (bank_fees): does not exist in QuickBooks',
    create: 'create the account "Bank Charges" in QuickBooks (Accounting → Chart of accounts → New)',
    start: async () => {
      const quickbooks = await startQuickBooksFake({
        clientId: SECRETS.QBO_CLIENT_ID,
        clientSecret: SECRETS.QBO_CLIENT_SECRET,
        refreshToken: SECRETS.QBO_REFRESH_TOKEN,
        refreshTokenGraceMs: 60_000,
        accounts: QUICKBOOKS_ACCOUNTS_WITHOUT_BANK_FEES,
      });
      return {
        fakes: { quickbooks },
        delivered: () => quickbooks.fake.journalEntries().length,
        close: quickbooks.close,
      };
    },
  },
] as const;

describe.each(DESTINATIONS)('post to $name without the bank-fees account', (destination) => {
  it('delivers every entry that does not use it (exit 0, doctor warns); holds back the one that does (its plan says so), naming account, mapping file and what to create, and delivers the rest (doctor fails)', async () => {
    const started = await destination.start();
    closers.push(started.close);
    const dir = tempDir();
    const config = writeConfig(dir, started.fakes);
    const mappingFile = join(packageMappingsDir(), destination.file);
    const cli = (args: string[]) => runCli([...args, '--config', config], { cwd: dir });
    await bookEntries(dir, [spendEntry(1, '2024-02-03')]);

    const warned = await cli(['doctor', '--to', destination.name]);
    expect(warned.code, warned.stdout + warned.stderr).toBe(0);
    expect(warned.stdout).toContain(
      `  ! ${destination.subject}; no entry waiting to be posted is booked to bank_fees, so nothing is held back yet\n`,
    );
    expect(warned.stdout).toMatch(/all \d+ checks passed \(1 warning\)\n$/);
    const posted = await cli(['post', destination.name]);
    expect(posted.code, posted.stdout + posted.stderr).toBe(0);
    expect(started.delivered()).toBe(1);

    await bookEntries(dir, [bankFeeEntry('2024-02-10'), spendEntry(2, '2024-02-11')]);
    const failed = await cli(['doctor', '--to', destination.name]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(`  ✗ ${destination.subject}\n      fix: ${destination.create}`);
    // The plan of tonight's post says what it will not send, as the post will: not "1 entry to send" alone.
    const planned = await cli(['post', destination.name, '--plan']);
    expect(planned.code, planned.stdout + planned.stderr).toBe(0);
    expect(planned.stdout).toContain(
      `(nothing is sent): 1 entry to send\nheld back (no night sends it until what it names is fixed): 1 entry\n` +
        `  je:adjustment:2024-02-10:1 (2024-02-10): held back, not sent to`,
    );
    const plannedJson = JSON.parse((await cli(['post', destination.name, '--plan', '--json'])).stdout) as {
      entries: number;
      heldBack: { entryId: string }[];
    };
    expect(plannedJson.entries).toBe(1);
    expect(plannedJson.heldBack.map((held) => held.entryId)).toEqual(['je:adjustment:2024-02-10:1']);
    const held = await cli(['post', destination.name]);
    expect(held.code, held.stdout + held.stderr).toBe(1);
    expect(held.stdout).toContain(`je:adjustment:2024-02-10:1 (2024-02-10): held back, not sent to`);
    expect(held.stdout).toContain(`(${mappingFile} at accounts.bank_fees): ${destination.create}`);
    expect(started.delivered()).toBe(2);
  });
});
