import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BankDocumentRequest } from '../../../../src/ledger/index.js';
import { moneyInTransit } from '../../../../src/pipeline/transit/index.js';
import type { TransitItem } from '../../../../src/rules/index.js';
import { bankDocumentOutbox } from '../../../../src/pipeline/post/books/bank-document-outbox.js';
import { LedgerStore } from '../../../../src/store/index.js';
import { transitBooks } from '../../../../src/pipeline/transit/books/transit-books.js';
import { join } from 'node:path';
import { useTempDir } from '../../../support/temp-dir.js';
import { configKinds, sourceKinds } from '../../../../src/pipeline/kinds/index.js';
import { chartFileEvents } from '../../../../src/config/chart-vocabulary.js';

const tempDir = useTempDir('ledgerline-bank-documents-store-');
const AT = '2026-11-15T02:00:00.000Z';
const TERMS = {
  alertDays: () => 5,
  windowDays: 10,
  toleranceMicros: 25_000_000n,
  eventKinds: new Map(Object.entries(chartFileEvents(configKinds().sources).inTransit)),
};

function request(itemId: string): BankDocumentRequest {
  return {
    itemId,
    kind: 'payout',
    amount: 312_400_000n,
    currency: 'USD',
    date: '2026-11-13',
    clearingAccount: 'payout_clearing_paypal',
    bankAccount: '090',
  };
}
function item(id: string): TransitItem {
  return {
    id,
    kind: 'payout',
    eventKind: 'payout_paypal',
    sourceId: 'pub',
    amountMicros: 312_400_000n,
    currency: 'USD',
    reportedOn: '2026-11-13',
    cleared: true,
  };
}

describe('the transit reads the bank-side documents from the outbox', () => {
  let store: LedgerStore;

  beforeAll(async () => {
    store = await LedgerStore.openAt(join(tempDir(), 'ledger.sqlite'));
    const xero = bankDocumentOutbox(store, 'xero');
    // po-1: created; po-2: found by its reference on a later run; po-3: the intent alone (a crash before the call's reply).
    await xero.unit(async (tx) => {
      for (const id of ['po-1', 'po-2', 'po-3']) await tx.recordIntent(request(id), AT);
      await tx.recordDocument(request('po-1'), 'bt-1', 'created', AT);
      await tx.recordDocument(request('po-2'), 'bt-2', 'found', AT);
    });
  });
  afterAll(async () => {
    await store.close();
  });

  it('an item whose document id is recorded, created or found, is at the destination; an intent alone is not', async () => {
    expect([...(await transitBooks(store, sourceKinds.settledFindings()).bankSideDocuments())].toSorted()).toEqual([
      'po-1',
      'po-2',
    ]);
  });

  it('the use case makes an item matched when the read-back says its document is reconciled, with the document as evidence', async () => {
    const books = {
      ...transitBooks(store, sourceKinds.settledFindings()),
      bookBankLegs: async () => {},
      transitItems: async () => ['po-1', 'po-2', 'po-3'].map(item),
    };
    const documents = new Map([
      ['po-2', { documentId: 'bt-2', reconciled: true }],
      ['po-1', { documentId: 'bt-1', reconciled: false }],
    ]);
    const { report } = await moneyInTransit(books, {
      asOf: '2026-11-16',
      terms: TERMS,
      record: false,
      now: new Date(AT),
      documents,
    });
    expect(report.items.map((entry) => [entry.id, entry.state, entry.match])).toEqual([
      ['po-1', 'at_destination', null],
      ['po-2', 'matched', { amount: '312.40', date: '2026-11-13', reference: 'po-2', document: 'bt-2' }],
      ['po-3', 'cleared', null],
    ]);
  });
});
