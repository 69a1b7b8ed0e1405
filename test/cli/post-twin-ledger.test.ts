import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startQuickBooksFake, type RunningQuickBooksFake } from '../../sandbox/quickbooks/fake.js';
import { startXeroFake, type RunningXeroFake } from '../../sandbox/xero/fake.js';
import { useTempDir } from '../support/temp-dir.js';
import { entryId, shippedChartsForFakes, spendEntry } from '../pipeline/post-fixtures.js';
import { deliveryStates, openLedgerBooks } from '../pipeline/post-books.js';
import { SECRETS, assertBuilt, bookEntries, runCli, writeConfig } from './post-cli-harness.js';

/**
 * Issue 24, "a copied ledger posts again": a copy of the ledger folder (an old cron on the file, a restored
 * backup) delivered 6 journals its twin had delivered, under the same numbers, to Xero and QuickBooks, exit 0.
 * Before each request post now looks its journal numbers up, and a journal this ledger never sent stops it.
 */
const tempDir = useTempDir('ledgerline-post-twin-');
const charts = shippedChartsForFakes();
const closers: (() => Promise<void>)[] = [];

beforeAll(assertBuilt);
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const SIX = Array.from({ length: 6 }, (_, index) =>
  spendEntry(index + 1, `2024-02-${String(index + 1).padStart(2, '0')}`),
);

async function fakes(): Promise<{ xero: RunningXeroFake; quickbooks: RunningQuickBooksFake }> {
  const xero = await startXeroFake({
    clientId: SECRETS.XERO_CLIENT_ID,
    clientSecret: SECRETS.XERO_CLIENT_SECRET,
    accounts: charts.xero,
  });
  closers.push(xero.close);
  const quickbooks = await startQuickBooksFake({
    clientId: SECRETS.QBO_CLIENT_ID,
    clientSecret: SECRETS.QBO_CLIENT_SECRET,
    refreshToken: SECRETS.QBO_REFRESH_TOKEN,
    accounts: charts.quickbooks,
  });
  closers.push(quickbooks.close);
  return { xero, quickbooks };
}

/** Two folders holding one ledger of six entries: the second a copy of the first's data folder, both configured for the same fakes. */
async function twins(destinations: {
  xero: RunningXeroFake;
  quickbooks: RunningQuickBooksFake;
}): Promise<{ first: string; copy: string }> {
  const first = tempDir();
  writeConfig(first, destinations);
  await bookEntries(first, SIX);
  const copy = tempDir();
  mkdirSync(join(copy, 'data'));
  cpSync(join(first, 'data'), join(copy, 'data'), { recursive: true });
  writeConfig(copy, destinations);
  return { first, copy };
}

async function states(dir: string, destination: string): Promise<Record<string, string>> {
  const books = await openLedgerBooks(join(dir, 'data'));
  try {
    return await deliveryStates(books, destination);
  } finally {
    await books.close();
  }
}

const post = (dir: string, to: string, ...flags: string[]) =>
  runCli(['post', '--to', to, '--config', join(dir, 'ledgerline.yaml'), ...flags], { cwd: dir });
const allPosted = Object.fromEntries(SIX.map((entry) => [entry.id, 'posted']));

describe('two copies of one ledger posting to the same destinations (the built CLI against the fakes)', () => {
  it(
    'the copy delivers nothing its twin delivered to Xero or QuickBooks: exit 2, one line naming the journals, its outbox untouched',
    { timeout: 120_000 },
    async () => {
      const destinations = await fakes();
      const { first, copy } = await twins(destinations);
      // Two nights' posts: the copy's one request of six is cut differently, so no idempotency key of the twin's requests covers it.
      for (const to of ['xero', 'quickbooks']) {
        expect((await post(first, to, '--until', '2024-02-03')).code).toBe(0);
        expect((await post(first, to)).code).toBe(0);
      }
      expect(destinations.xero.fake.journals()).toHaveLength(6);
      expect(destinations.quickbooks.fake.journalEntries()).toHaveLength(6);

      const xero = await post(copy, 'xero');
      expect(xero.code).toBe(2);
      expect(xero.stderr.split('\n').filter((line) => line.startsWith('error:'))).toEqual([
        expect.stringMatching(
          new RegExp(
            `^error: Xero already holds 6 journal\\(s\\) this ledger never sent: ${entryId(1).replace(/[.:]/g, '\\$&')} \\(Xero [0-9a-f-]+\\), .* and 1 more; another copy of this ledger delivers to it`,
          ),
        ),
      ]);
      const quickbooks = await post(copy, 'quickbooks');
      expect(quickbooks.code).toBe(2);
      expect(quickbooks.stderr).toMatch(
        /(^|\n)error: QuickBooks already holds 6 journal\(s\) this ledger never sent: .*\(QuickBooks \d+\)/,
      );

      expect(destinations.xero.fake.journals()).toHaveLength(6);
      expect(destinations.quickbooks.fake.journalEntries()).toHaveLength(6);
      expect(await states(copy, 'xero')).toEqual({});
      expect(await states(copy, 'quickbooks')).toEqual({});
      expect(await states(first, 'xero')).toEqual(allPosted);
    },
  );

  it(
    'refuses the whole request when only some of its journals are taken, and --adopt-delivered takes the twin’s journals over, sending only the rest',
    { timeout: 120_000 },
    async () => {
      const destinations = await fakes();
      const { first, copy } = await twins(destinations);
      expect((await post(first, 'xero', '--until', '2024-02-03')).code).toBe(0);

      const refused = await post(copy, 'xero');
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('Xero already holds 3 journal(s) this ledger never sent');
      expect(destinations.xero.fake.journals()).toHaveLength(3);

      const adopted = await post(copy, 'xero', '--adopt-delivered');
      expect(adopted.code).toBe(0);
      expect(adopted.stdout).toMatch(/^Xero: 6 posted \(3 found already delivered by a look-up\), 0 refused/);
      // Each narration names the entry's chain hash before its id (issue 52); both copies chain alike.
      expect(
        destinations.xero.fake
          .journals()
          .map((journal) => journal.narration.replace(/ · chain sha256:[0-9a-f]{64} \[/, ' [')),
      ).toEqual(SIX.map((entry) => `${entry.description} [${entry.id}]`));
      expect(await states(copy, 'xero')).toEqual(allPosted);

      // The twin, whose outbox knows only its own three, now meets the copy's three: it stops, and Xero keeps one of each.
      const twin = await post(first, 'xero');
      expect(twin.code).toBe(2);
      expect(twin.stderr).toContain('Xero already holds 3 journal(s) this ledger never sent');
      expect(destinations.xero.fake.journals()).toHaveLength(6);
    },
  );

  it('--adopt-delivered goes with a local post only', async () => {
    const dir = tempDir();
    const run = await runCli(['post', '--to', 'xero', '--dry-run', '--adopt-delivered'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--adopt-delivered goes with a local post, not with --dry-run or --queue');
  });
});
