import { z } from 'zod';
import type { BankTransactions } from 'xero-node';
import { InvalidReplyError, RequestRejectedError } from '../../errors.js';
import type { BankDocumentClient, BankDocumentState } from '../bank-document-client.js';
import type { DestinationClientOptions } from '../destination-client-options.js';
import type { XeroDestinationConfig } from './xero-config.js';
import { escapeWhere, xeroTransportFor } from './xero-client.js';
import { readXeroReply } from './xero-replies.js';
import type { XeroAccount } from './xero-payload.js';
import {
  xeroBankTransaction,
  xeroBankTransactionKey,
  type XeroBankTransaction,
} from './xero-bank-transaction-payload.js';
import type { XeroTransport } from './xero-transport.js';
import type { XeroTaxSetup } from './xero-tax.js';

/** References or ids per `where`: the filter stays short enough for a URL. */
const PER_QUERY = 50;

const transactionsReplySchema = z.object({
  bankTransactions: z.array(
    z.object({
      bankTransactionID: z.string().optional(),
      reference: z.string().nullish(),
      isReconciled: z.boolean().nullish(),
      status: z.string().nullish(),
    }),
  ),
});
type TransactionReply = z.infer<typeof transactionsReplySchema>['bankTransactions'][number];

/**
 * Xero's side of the bank documents: a BankTransaction (RECEIVE or SPEND, coded to the clearing account) per
 * payout's or top-up's bank leg (scope accounting.banktransactions), through the same transport as journals
 * (pacing, retries, token renewal). Look-ups go by Reference, read-backs by BankTransactionID; a deleted or
 * voided one is no longer held.
 */
export function createXeroBankDocuments(
  options: DestinationClientOptions<XeroDestinationConfig, XeroAccount>,
  tax?: XeroTaxSetup,
): BankDocumentClient {
  const { tenantId, transport } = xeroTransportFor(options);
  return {
    name: 'Xero',
    async findByReference(requests) {
      const itemIds = requests.map((request) => request.itemId);
      const found = new Map<string, BankDocumentState>();
      for (const transaction of await transactionsWhere(
        transport,
        tenantId,
        itemIds,
        (id) => `Reference=="${escapeWhere(id)}"`,
        'looking up bank transactions by reference',
      )) {
        if (transaction.reference && itemIds.includes(transaction.reference) && !found.has(transaction.reference))
          found.set(transaction.reference, stateOf(transaction));
      }
      return found;
    },
    create: (request) =>
      create(transport, tenantId, xeroBankTransaction(request, options.mapping, tax), request.itemId),
    async read(documentIds) {
      const found = new Map<string, BankDocumentState>();
      for (const transaction of await transactionsWhere(
        transport,
        tenantId,
        documentIds,
        (id) => `BankTransactionID==Guid("${escapeWhere(id)}")`,
        'reading bank transactions back',
      )) {
        const state = stateOf(transaction);
        found.set(state.documentId, state);
      }
      return found;
    },
    close: () => transport.close(),
  };
}

async function create(
  transport: XeroTransport,
  tenantId: string,
  transaction: XeroBankTransaction,
  itemId: string,
): Promise<string> {
  const what = `creating the bank transaction for ${itemId}`;
  // The payload is xero-node's model; its Contact and Account hold more than the fields sent.
  const body = { bankTransactions: [transaction] } as unknown as BankTransactions;
  const result = await transport.call(what, true, () =>
    transport.api.createBankTransactions(tenantId, body, undefined, undefined, xeroBankTransactionKey(transaction)),
  );
  if (result.kind === 'refused') throw new RequestRejectedError('Xero', result.status, `${what}: ${result.text}`);
  const created = readTransactions(result.value.body, `PUT BankTransactions (${itemId})`)[0];
  if (!created?.bankTransactionID)
    throw new InvalidReplyError('Xero', `PUT BankTransactions (${itemId})`, 'no BankTransactionID in the reply');
  return created.bankTransactionID;
}

async function transactionsWhere(
  transport: XeroTransport,
  tenantId: string,
  keys: readonly string[],
  clause: (key: string) => string,
  what: string,
): Promise<TransactionReply[]> {
  const transactions: TransactionReply[] = [];
  for (let start = 0; start < keys.length; start += PER_QUERY) {
    const where = keys
      .slice(start, start + PER_QUERY)
      .map(clause)
      .join(' OR ');
    const reply = await transport.read(what, () => transport.api.getBankTransactions(tenantId, undefined, where));
    transactions.push(
      ...readTransactions(reply.body, 'GET BankTransactions').filter(
        (transaction) =>
          transaction.bankTransactionID !== undefined &&
          transaction.status !== 'DELETED' &&
          transaction.status !== 'VOIDED',
      ),
    );
  }
  return transactions;
}

function readTransactions(body: unknown, call: string): TransactionReply[] {
  return readXeroReply(transactionsReplySchema, body, call, 'no BankTransactions list in the reply').bankTransactions;
}

/** Reconciled when a person matched the bank's statement line to it in Xero's reconcile screen. */
function stateOf(transaction: TransactionReply): BankDocumentState {
  return { documentId: transaction.bankTransactionID ?? '', reconciled: transaction.isReconciled === true };
}
