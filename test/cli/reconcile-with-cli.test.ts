import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startShippedQuickBooksFake, startShippedXeroFake, type FakeClosers } from '../support/shipped-chart-fakes.js';
import { useTempDir } from '../support/temp-dir.js';
import { entryId, spendEntry } from '../pipeline/post-fixtures.js';
import { assertBuilt, bookEntries, runCli, writeConfig } from './post-cli-harness.js';

const tempDir = useTempDir('ledgerline-reconcile-with-');
const closers: FakeClosers = [];

beforeAll(assertBuilt);
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** Entries 1–3: Dr SMM services, Cr panel balance, 1.01, 1.02, 1.03. */
const books = () => [spendEntry(1, '2024-02-10'), spendEntry(2, '2024-02-11'), spendEntry(3, '2024-02-12')];

describe('ledgerline reconcile --with (the built CLI against fakes a person has changed)', () => {
  it('Xero: a voided journal is missing_at_destination, an edited one changed_at_destination with both amounts, and both accounts differ in the trial balance; exit 1', async () => {
    const dir = tempDir();
    const xero = await startShippedXeroFake(closers);
    const config = writeConfig(dir, { xero });
    await bookEntries(dir, books());
    expect((await runCli(['post', 'xero', '--config', config], { cwd: dir })).code).toBe(0);

    const clean = await runCli(['reconcile', '--with', 'xero', '--as-of', '2024-02-29', '--config', config], {
      cwd: dir,
    });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain(
      'reconcile with Xero as of 2024-02-29: clean, 3 posted journal(s) as sent and every balance as posted',
    );

    const journal = (id: string) => xero.fake.journals().find((candidate) => candidate.narration.endsWith(`[${id}]`))!;
    const [expense, prepaid] = journal(entryId(2)).lines.map((line) => line.accountCode);
    xero.fake.removeJournal(journal(entryId(1)).manualJournalId);
    xero.fake.editJournal(journal(entryId(2)).manualJournalId, {
      lines: [
        { accountCode: expense!, cents: 2000n },
        { accountCode: prepaid!, cents: -2000n },
      ],
    });

    const run = await runCli(['reconcile', '--with', 'xero', '--as-of', '2024-02-29', '--json', '--config', config], {
      cwd: dir,
    });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { clean: boolean; checked: number; items: Record<string, unknown>[] };
    expect(report.clean).toBe(false);
    expect(report.checked).toBe(3);
    expect(report.items).toEqual([
      {
        id: `with:xero:missing_at_destination:${entryId(1)}`,
        kind: 'missing_at_destination',
        source: 'xero',
        date: '2024-02-10',
        amount: '1.01',
        currency: 'USD',
        ref: entryId(1),
        remoteId: journal(entryId(1)).manualJournalId,
        message: `Xero journal ${journal(entryId(1)).manualJournalId} for entry ${entryId(1)} (2024-02-10, 1.01 USD) is voided`,
      },
      {
        id: `with:xero:changed_at_destination:${entryId(2)}`,
        kind: 'changed_at_destination',
        source: 'xero',
        date: '2024-02-11',
        amount: '1.02',
        currency: 'USD',
        ref: entryId(2),
        remoteId: journal(entryId(2)).manualJournalId,
        lines: [
          { account: expense, sent: '1.02', found: '20.00' },
          { account: prepaid, sent: '-1.02', found: '-20.00' },
        ].sort((a, b) => (a.account! < b.account! ? -1 : 1)),
        message: expect.stringContaining(`for entry ${entryId(2)} was edited: `),
      },
      // Posted 1.01 + 1.02 + 1.03 = 3.06 on each account; Xero now holds 20.00 + 1.03 = 21.03.
      ...[
        { account: expense!, ledger: '3.06', destination: '21.03' },
        { account: prepaid!, ledger: '-3.06', destination: '-21.03' },
      ]
        .sort((a, b) => (a.account < b.account ? -1 : 1))
        .map((balance) => ({
          id: `with:xero:destination_balance_mismatch:${balance.account}`,
          kind: 'destination_balance_mismatch',
          source: 'xero',
          date: '2024-02-29',
          amount: balance.ledger,
          currency: 'USD',
          ref: balance.account,
          ledger: balance.ledger,
          destination: balance.destination,
          message: expect.stringContaining(
            `account ${balance.account} at Xero on 2024-02-29: ${balance.destination} USD, posted by ledgerline ${balance.ledger}`,
          ),
        })),
    ]);

    const text = await runCli(['reconcile', '--with', 'xero', '--as-of', '2024-02-29', '--config', config], {
      cwd: dir,
    });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('reconcile with Xero as of 2024-02-29: 4 difference(s) in 3 posted journal(s)');
    expect(text.stdout).toContain(`${expense} sent 1.02, now 20.00`);
  });

  it('QuickBooks: a deleted entry and an edited one are listed with amounts, read back in one query and one report', async () => {
    const dir = tempDir();
    const quickbooks = await startShippedQuickBooksFake(closers);
    const config = writeConfig(dir, { quickbooks });
    await bookEntries(dir, books());
    expect((await runCli(['post', 'quickbooks', '--config', config], { cwd: dir })).code).toBe(0);

    const stored = (id: string) =>
      quickbooks.fake.journalEntries().find((candidate) => candidate.privateNote?.endsWith(`[${id}]`))!;
    const lines = stored(entryId(3)).lines;
    quickbooks.fake.deleteJournalEntry(stored(entryId(1)).id);
    quickbooks.fake.editJournalEntry(
      stored(entryId(3)).id,
      lines.map((line) => ({ accountId: line.accountId, postingType: line.postingType, cents: 303n })),
    );
    const before = quickbooks.fake.requestLog().length;

    const run = await runCli(
      ['reconcile', '--with', 'quickbooks', '--as-of', '2024-02-29', '--json', '--config', config],
      { cwd: dir },
    );
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      items: { kind: string; ref: string; amount: string; lines?: unknown[] }[];
    };
    expect(report.items.map((item) => [item.kind, item.ref, item.amount])).toEqual([
      ['missing_at_destination', entryId(1), '1.01'],
      ['changed_at_destination', entryId(3), '1.03'],
      ...[...new Set(lines.map((line) => line.accountId))]
        .sort()
        .map((account) => [
          'destination_balance_mismatch',
          account,
          lines.find((line) => line.accountId === account)?.postingType === 'Debit' ? '3.06' : '-3.06',
        ]),
    ]);
    expect(report.items[1]?.lines).toHaveLength(2);
    const calls = quickbooks.fake
      .requestLog()
      .slice(before)
      .filter((record) => !record.path.includes('oauth2'));
    // One query reads every posted journal back, one lists those dated since the last close (the chain witnesses, issue 52), one reads the trial balance.
    expect(calls.map((record) => record.path.replace(/\?.*/, '').replace(/^.*\//, ''))).toEqual([
      'query',
      'TrialBalance',
      'query',
    ]);
  });
});
