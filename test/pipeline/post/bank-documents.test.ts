import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BankDocumentRequest } from '../../../src/destinations/index.js';
import { createBankDocuments, readBankDocuments } from '../../../src/pipeline/post/bank-documents.js';
import { bankDocumentOutbox, type BankDocumentOutbox } from '../../../src/pipeline/post/books/bank-document-outbox.js';
import type { Books } from '../../support/books.js';
import { withLedgerTables } from '../../support/ledger-tables.js';
import { startQuickBooksFake, type RunningQuickBooksFake } from '../../../sandbox/quickbooks/fake.js';
import { startXeroFake, type RunningXeroFake } from '../../../sandbox/xero/fake.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../../support/ledger-engines.js';
import { useTempDir } from '../../support/temp-dir.js';
import { clientHarness, quickbooksBankDocumentsFor, xeroBankDocumentsFor } from '../post-fixtures.js';
import { openLedgerBooks } from '../post-books.js';

const engines = useLedgerEngines();
const tempDir = useTempDir('ledgerline-bank-documents-');
const now = () => '2026-11-15T02:00:00.000Z';

function request(itemId: string, kind: BankDocumentRequest['kind'] = 'payout'): BankDocumentRequest {
  return {
    itemId,
    kind,
    amount: 312_400_000n,
    currency: 'USD',
    date: '2026-11-14',
    clearingAccount: kind === 'payout' ? 'payout_clearing_paypal' : 'topup_clearing',
    bankAccount: '090',
  };
}

/** The outbox as a process killed after the create call left and before its id was recorded would leave it. */
const crashingBeforeTheId = (outbox: BankDocumentOutbox): BankDocumentOutbox => ({
  ...outbox,
  unit: (work) =>
    outbox.unit((tx) =>
      work({ ...tx, recordDocument: () => Promise.reject(new Error('killed before the id was recorded')) }),
    ),
});

describe.each(LEDGER_ENGINES)('bank-side documents created exactly once (%s ledger)', (engine) => {
  let server: RunningXeroFake;
  let books: Books;
  let outbox: BankDocumentOutbox;

  beforeAll(async () => {
    server = await startXeroFake();
    books = await openLedgerBooks(tempDir(), await engines.fresh(engine));
    outbox = books.of(bankDocumentOutbox, 'xero');
  });
  afterAll(async () => {
    await books.close();
    await server.close();
  });

  const client = () => xeroBankDocumentsFor(server, clientHarness(tempDir()));
  const transfersFor = (itemId: string) =>
    server.fake.bankTransactions().filter((transaction) => transaction.reference === itemId);

  it('creates one transfer per item, records intent then id, and a second run creates nothing', async () => {
    const first = await createBankDocuments([request('po-1'), request('tu-1', 'topup')], outbox, client(), { now });
    expect(first).toEqual({ created: ['po-1', 'tu-1'], found: [], alreadyRecorded: [], open: [], refused: [] });
    const second = await createBankDocuments([request('po-1'), request('tu-1', 'topup')], outbox, client(), { now });
    expect(second).toMatchObject({ created: [], found: [], alreadyRecorded: ['po-1', 'tu-1'] });
    expect([transfersFor('po-1'), transfersFor('tu-1')].map((transfers) => transfers.length)).toEqual([1, 1]);
    const steps = await withLedgerTables(books, ({ db, all }) =>
      all(
        db
          .selectFrom('bank_document_steps')
          .select(['item_id', 'step', 'document_id', 'amount_micros'])
          .where('item_id', '=', 'po-1')
          .orderBy('id'),
      ),
    );
    expect(steps.map((row) => [row.item_id, row.step, row.document_id, BigInt(row.amount_micros)])).toEqual([
      ['po-1', 'intent', null, 312_400_000n],
      ['po-1', 'created', transfersFor('po-1')[0]?.bankTransactionId, 312_400_000n],
    ]);
  });

  it('a lost reply: the transfer is found by its reference and recorded, never created twice', async () => {
    server.fake.injectFault({ kind: 'drop-after-commit' });
    const report = await createBankDocuments([request('po-2')], outbox, client(), { now });
    expect(report).toMatchObject({ created: [], found: ['po-2'], open: [] });
    expect(transfersFor('po-2')).toHaveLength(1);
    expect((await outbox.records(['po-2'])).get('po-2')).toEqual({
      state: 'created',
      documentId: transfersFor('po-2')[0]?.bankTransactionId,
    });
  });

  it('a crash between the call and recording its id: the next run finds the transfer by reference instead of creating another', async () => {
    const crashing = crashingBeforeTheId(outbox);
    await expect(createBankDocuments([request('po-3')], crashing, client(), { now })).rejects.toThrow(/killed/);
    expect((await outbox.records(['po-3'])).get('po-3')).toEqual({ state: 'intent' });
    const rerun = await createBankDocuments([request('po-3')], outbox, client(), { now });
    expect(rerun).toMatchObject({ created: [], found: ['po-3'] });
    expect(transfersFor('po-3')).toHaveLength(1);
  });

  it('a refused document is reported and the others go on; the books refuse a second intent for the same item', async () => {
    const report = await createBankDocuments(
      [{ ...request('po-4'), bankAccount: '611' }, request('po-5')],
      outbox,
      client(),
      { now },
    );
    expect(report.refused.map((refusal) => refusal.itemId)).toEqual(['po-4']);
    expect(report.created).toEqual(['po-5']);
    await expect(outbox.unit((tx) => tx.recordIntent(request('po-5'), now()))).rejects.toThrow();
  });

  it('reads back each recorded document with its reconciled flag once a person matched it', async () => {
    server.fake.markReconciled(transfersFor('po-1')[0]?.bankTransactionId ?? '');
    const states = await readBankDocuments(outbox, client());
    expect(states.get('po-1')).toEqual({ documentId: transfersFor('po-1')[0]?.bankTransactionId, reconciled: true });
    expect(states.get('tu-1')).toEqual({ documentId: transfersFor('tu-1')[0]?.bankTransactionId, reconciled: false });
  });
});

describe('bank-side documents created exactly once in QuickBooks (sqlite ledger)', () => {
  const REFRESH = 'qbo-bank-documents-refresh';
  let server: RunningQuickBooksFake;
  let books: Books;
  let outbox: BankDocumentOutbox;
  const harness = clientHarness(tempDir());
  const client = () => quickbooksBankDocumentsFor(server, harness, REFRESH);
  const transfersFor = (itemId: string) =>
    server.fake.transfers().filter((transfer) => transfer.privateNote?.endsWith(`[${itemId}]`) === true);
  const qboRequest = (itemId: string) => ({ ...request(itemId), bankAccount: '1' });

  beforeAll(async () => {
    server = await startQuickBooksFake({ refreshToken: REFRESH, now: () => harness.clock.now() });
    books = await openLedgerBooks(tempDir());
    outbox = books.of(bankDocumentOutbox, 'quickbooks');
  });
  afterAll(async () => {
    await books.close();
    await server.close();
  });

  it('a lost reply, then a crash before the id is recorded: one Transfer each, found by its note, and cleared status read back', async () => {
    server.fake.injectFault({ kind: 'drop-after-commit' });
    expect(await createBankDocuments([qboRequest('po-1')], outbox, client(), { now })).toMatchObject({
      created: [],
      found: ['po-1'],
    });
    const crashing = crashingBeforeTheId(outbox);
    await expect(createBankDocuments([qboRequest('po-2')], crashing, client(), { now })).rejects.toThrow(/killed/);
    expect(
      await createBankDocuments([qboRequest('po-1'), qboRequest('po-2')], outbox, client(), { now }),
    ).toMatchObject({ alreadyRecorded: ['po-1'], found: ['po-2'], created: [] });
    expect([transfersFor('po-1').length, transfersFor('po-2').length]).toEqual([1, 1]);
    server.fake.markCleared(transfersFor('po-2')[0]?.id ?? '', 'Cleared');
    const states = await readBankDocuments(outbox, client());
    expect([states.get('po-1')?.reconciled, states.get('po-2')?.reconciled]).toEqual([false, true]);
  });
});
