import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMappings, packageMappingsDir } from '../../../src/config/index.js';
import { bankDocumentRequests } from '../../../src/pipeline/post/transit-documents.js';
import type { TransitItem } from '../../../src/rules/index.js';
import { writeSandboxBankStatements } from '../../../sandbox/bank/write-bank-statements.js';
import { startXeroFake, type RunningXeroFake } from '../../../sandbox/xero/fake.js';
import { SECRETS, runCli, writeConfig } from '../../cli/post-cli-harness.js';
import { bookPayouts, OCTOBER_PAYOUTS } from '../transit-fixtures.js';

/**
 * `ledgerline post xero` with `transit.createBankDocuments: true`, in process against the Xero fake: October's two
 * PayPal payouts (312.40 on 10-14, 120.00 on 10-30), each journalized to payouts in transit (631, a current
 * asset), become one BankTransaction each (RECEIVE into the bank account 090, coded to 631), Reference the
 * payout's id, dated the day it was paid (the books import no statement: Xero's reconcile screen is the bank's); a
 * second post creates none; the person at Xero's reconcile screen (the fake's admin call) matches the first, and
 * `transit --json` shows it matched with the transfer as its evidence.
 */
const PAYOUTS = OCTOBER_PAYOUTS;

describe('post creates the bank-side document of each payout, once, and transit reads its reconciled flag back', () => {
  let xero: RunningXeroFake;
  let dir: string;
  let config: string;
  const cli = (args: string[]) => runCli([...args, '--config', config], { cwd: dir });

  beforeAll(async () => {
    xero = await startXeroFake({ clientId: SECRETS.XERO_CLIENT_ID, clientSecret: SECRETS.XERO_CLIENT_SECRET });
    // One workspace for the file: the second test reads what the first posted.
    dir = mkdtempSync(join(tmpdir(), 'ledgerline-transit-documents-'));
    config = writeConfig(dir, { xero }, '    transit: { createBankDocuments: true, bankAccount: "090" }\n');
    await bookPayouts(dir, PAYOUTS);
  });
  afterAll(async () => {
    await xero.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('one BankTransaction per payout received into the bank, coded to its clearing account, dated when paid; a second post creates none (--json lists them as recorded before)', async () => {
    const first = await cli(['post', 'xero']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Xero bank-side documents: 2 created, 0 found by their reference, 0 left open');
    const transfers = () =>
      xero.fake
        .bankTransactions()
        .map((transaction) => [
          transaction.reference,
          transaction.date,
          transaction.type,
          transaction.lines.map((line) => [line.accountCode, line.cents]),
          transaction.bankAccount.code,
        ]);
    const expected = [
      [PAYOUTS[0]!.id, '2026-10-14', 'RECEIVE', [['631', 31_240n]], '090'],
      [PAYOUTS[1]!.id, '2026-10-30', 'RECEIVE', [['631', 12_000n]], '090'],
    ];
    expect(transfers()).toEqual(expected);
    const second = await cli(['post', 'xero', '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout).bankDocuments).toEqual({
      created: [],
      found: [],
      alreadyRecorded: PAYOUTS.map((payout) => payout.id),
      open: [],
      refused: [],
    });
    expect(transfers()).toEqual(expected);
  });

  it('the transaction a person matched at Xero makes its payout matched, the transaction its evidence in transit and reconcile; the other waits at the destination', async () => {
    const matched = xero.fake.bankTransactions().find((transaction) => transaction.reference === PAYOUTS[0]!.id)!;
    const reconciled = await fetch(`${xero.origin}/xero/__admin/reconcile`, {
      method: 'POST',
      body: JSON.stringify({ id: matched.bankTransactionId }),
    });
    expect(reconciled.status).toBe(200);
    const transit = await cli(['transit', '--as-of', '2026-11-02', '--json']);
    expect(transit.stderr).toBe('');
    expect(
      JSON.parse(transit.stdout).items.map((item: { id: string; state: string; match: unknown }) => [
        item.id,
        item.state,
        item.match,
      ]),
    ).toEqual([
      [
        PAYOUTS[0]!.id,
        'matched',
        { amount: '312.40', date: '2026-10-14', reference: PAYOUTS[0]!.id, document: matched.bankTransactionId },
      ],
      [PAYOUTS[1]!.id, 'at_destination', null],
    ]);
    const reconcile = await cli(['reconcile', '--as-of', '2026-11-02']);
    expect(reconcile.stdout).toContain(`reconciled at the destination (document ${matched.bankTransactionId})`);
  });

  it('a statement settling both payouts books their bank legs, which Xero (its bank transactions move the money there) never receives, and reconcile finds nothing missing; the export carries them', async () => {
    appendFileSync(config, 'sources:\n  - { id: operating, kind: bank-statement, currency: USD }\n');
    const sent = PAYOUTS.map((payout) => ({
      id: payout.id,
      kind: 'payout' as const,
      amountMicros: payout.micros,
      currency: 'USD',
      sentOn: payout.date,
    }));
    const statement = writeSandboxBankStatements(dir, sent, {
      account: 'US-OPERATING',
      currency: 'USD',
      from: '2026-10-01',
      to: '2026-11-30',
    });
    const imported = await cli(['bank', 'import', statement.camt053, '--account', 'operating', '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ added: 2, bankLegsBooked: 2 });
    expect(JSON.parse(imported.stdout)).not.toHaveProperty('unmappedAccounts');
    const journals = xero.fake.journals().length;
    const posted = await cli(['post', 'xero', '--json']);
    expect(posted.code, posted.stderr).toBe(0);
    expect(JSON.parse(posted.stdout)).toMatchObject({ posted: 0, skipped: 2, refused: [] });
    expect(xero.fake.journals()).toHaveLength(journals);
    const tieOut = await cli(['reconcile', '--with', 'xero', '--as-of', '2026-11-30', '--json']);
    expect(tieOut.stderr).toBe('');
    const { items } = JSON.parse(tieOut.stdout) as { items: { kind: string; ref: string }[] };
    expect(items.filter((item) => item.ref.startsWith('je:bank-leg:'))).toEqual([]);
    // Xero's trial balance holds the bank transactions beside the journals: 631 took 432.40 in and sent it on to 090.
    expect(items.filter((item) => item.kind === 'destination_balance_mismatch')).toEqual([]);
    const exported = await cli(['export', '--format', 'hledger', '--out', 'books.journal']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(readFileSync(join(dir, 'books.journal'), 'utf8').match(/je:bank-leg:/g)).toHaveLength(2);
  });

  it('without bank-side documents, Xero receives the bank legs: the import says at once that xero.yaml must map the bank account (exit 1), doctor fails on it naming the file and key, and post stops on it naming the file until it does', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'ledgerline-bank-legs-to-xero-'));
    try {
      const plainConfig = writeConfig(
        plain,
        { xero },
        'sources:\n  - { id: operating, kind: bank-statement, currency: USD }\n',
      );
      await bookPayouts(plain, PAYOUTS);
      const sent = PAYOUTS.map((payout) => ({
        id: payout.id,
        kind: 'payout' as const,
        amountMicros: payout.micros,
        currency: 'USD',
        sentOn: payout.date,
      }));
      const statement = writeSandboxBankStatements(plain, sent, {
        account: 'US-OPERATING',
        currency: 'USD',
        from: '2026-10-01',
        to: '2026-11-30',
      });
      const imported = await runCli(
        ['bank', 'import', statement.camt053, '--account', 'operating', '--config', plainConfig],
        { cwd: plain },
      );
      const mappingFile = join(packageMappingsDir(), 'xero.yaml');
      expect(imported.code, imported.stderr).toBe(1);
      expect(imported.stdout).toContain(`! unmapped_account: bank is booked but ${mappingFile} does not map it`);
      const checked = await runCli(['doctor', '--to', 'xero', '--config', plainConfig], { cwd: plain });
      expect(checked.code, checked.stdout).toBe(1);
      expect(checked.stdout).toContain(
        `  ✗ ledger account bank: is booked by entries waiting to be posted, but ${mappingFile} does not map it\n      fix: add bank under accounts: in ${mappingFile}`,
      );
      const posted = await runCli(['post', 'xero', '--config', plainConfig], { cwd: plain });
      expect([posted.code, posted.stderr]).toEqual([
        2,
        expect.stringContaining(
          `${mappingFile} at accounts.bank: ledger account "bank" has no Xero mapping, but entry je:bank-leg:`,
        ),
      ]);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});

describe('the bank-side document requests of the transit items', () => {
  const events = loadMappings({ chartPath: join(packageMappingsDir(), 'default.yaml') }).chart.events;
  const item = (id: string, overrides: Partial<TransitItem>): TransitItem => ({
    id,
    kind: 'payout',
    eventKind: 'payout_wire',
    sourceId: 'ads-publisher',
    amountMicros: 95_000_000n,
    currency: 'USD',
    reportedOn: '2026-10-14',
    cleared: true,
    ...overrides,
  });
  const items = [
    item('po-wire', {}),
    item('tu-1', {
      kind: 'topup',
      eventKind: 'panel_topup',
      sourceId: 'smm-panel',
      amountMicros: 40_500_000n,
      reportedOn: '2026-10-20',
    }),
    item('po-uncleared', { cleared: false }),
    item('po-november', { reportedOn: '2026-11-02' }),
  ];

  it('without statements: a payout from the clearing account its rule debits, a top-up into the one its rule credits, as reported; none outside the window or no journal moved yet', () => {
    expect(
      bankDocumentRequests(items, undefined, { events, bankAccount: '090', window: { until: '2026-10-31' } }),
    ).toEqual([
      {
        itemId: 'po-wire',
        kind: 'payout',
        amount: 95_000_000n,
        currency: 'USD',
        date: '2026-10-14',
        clearingAccount: 'payout_clearing_wire',
        bankAccount: '090',
      },
      {
        itemId: 'tu-1',
        kind: 'topup',
        amount: 40_500_000n,
        currency: 'USD',
        date: '2026-10-20',
        clearingAccount: 'topup_clearing',
        bankAccount: '090',
      },
    ]);
  });

  it('with statements: one per bank leg booked in the window, of what the bank moved on its day (the fee short); an item with no leg is still in transit and has none', () => {
    const legs = new Map([
      ['po-wire', { date: '2026-10-16', amountMicros: 92_500_000n }],
      ['po-november', { date: '2026-10-30', amountMicros: 95_000_000n }],
      ['po-uncleared', { date: '2026-10-30', amountMicros: 95_000_000n }],
    ]);
    expect(bankDocumentRequests(items, legs, { events, bankAccount: '090', window: { until: '2026-10-31' } })).toEqual([
      {
        itemId: 'po-wire',
        kind: 'payout',
        amount: 92_500_000n,
        currency: 'USD',
        date: '2026-10-16',
        clearingAccount: 'payout_clearing_wire',
        bankAccount: '090',
      },
      {
        itemId: 'po-november',
        kind: 'payout',
        amount: 95_000_000n,
        currency: 'USD',
        date: '2026-10-30',
        clearingAccount: 'payout_clearing_wire',
        bankAccount: '090',
      },
    ]);
  });
});
