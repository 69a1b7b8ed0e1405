import { z } from 'zod';
import type { BankDocumentClient, BankDocumentRequest, BankDocumentState } from '../bank-document-client.js';
import {
  answerOf,
  QUICKBOOKS_MINOR_VERSION,
  queryUrl,
  quickbooksReaderFor,
  quoted,
  read,
  type QuickbooksClientOptions,
  type QuickbooksReader,
} from './quickbooks-session.js';
import { quickbooksTransfer, quickbooksTransferRequestId } from './quickbooks-transfer-payload.js';

/** Values per `in (…)`, and rows per query page (QuickBooks returns at most 1000). */
const PER_QUERY = 30;
const PAGE_SIZE = 1000;
/** QuickBooks' cleared statuses that mean a person matched the document to the bank (Intuit's report parameter `cleared`). */
const MATCHED = ['Cleared', 'Reconciled'] as const;

const transferSchema = z.object({ Id: z.string(), TxnDate: z.string(), PrivateNote: z.string().optional() });
const transferQuerySchema = z.object({ QueryResponse: z.object({ Transfer: z.array(transferSchema).optional() }) });
const transferCreatedSchema = z.object({ Transfer: z.object({ Id: z.string() }) });
const transactionListSchema = z.object({
  Rows: z
    .object({
      Row: z
        .array(
          z.object({
            ColData: z.array(z.object({ value: z.string().optional(), id: z.string().optional() })).optional(),
          }),
        )
        .optional(),
    })
    .optional(),
});

/**
 * QuickBooks' side of the bank documents: a Transfer per payout or top-up, through the journals' transport. A
 * Transfer has no reference or cleared element (Finance.xsd): the item id rides in PrivateNote and is found by
 * querying the due dates; cleared status is read from the TransactionList report's `cleared` filter.
 */
export function createQuickbooksBankDocuments(options: QuickbooksClientOptions): BankDocumentClient {
  const session = quickbooksReaderFor(options);
  return {
    name: 'QuickBooks',
    findByReference: (requests) => findByReference(session, requests),
    create: (request) => create(session, request),
    read: (documentIds) => readDocuments(session, documentIds),
    close: () => session.transport.close(),
  };
}

async function findByReference(
  session: QuickbooksReader,
  requests: readonly BankDocumentRequest[],
): Promise<Map<string, BankDocumentState>> {
  const dates = [...new Set(requests.map((request) => request.date))];
  const transfers = await queryTransfers(session, 'TxnDate', dates, 'looking up transfers by date');
  const found = new Map<string, BankDocumentState>();
  for (const request of requests) {
    const transfer = transfers.find(
      (candidate) =>
        candidate.TxnDate === request.date && candidate.PrivateNote?.endsWith(`[${request.itemId}]`) === true,
    );
    if (transfer) found.set(request.itemId, { documentId: transfer.Id, reconciled: false });
  }
  return markMatched(session, found, transfers);
}

async function create(session: QuickbooksReader, request: BankDocumentRequest): Promise<string> {
  const transfer = quickbooksTransfer(request, session.options.mapping);
  const what = `creating the transfer for ${request.itemId}`;
  const url = `${session.company}/transfer?minorversion=${QUICKBOOKS_MINOR_VERSION}&requestid=${quickbooksTransferRequestId(transfer)}`;
  const post = { method: 'POST', url, body: JSON.stringify(transfer) } as const;
  return (await answerOf(session, what, post, transferCreatedSchema)).Transfer.Id;
}

async function readDocuments(
  session: QuickbooksReader,
  documentIds: readonly string[],
): Promise<Map<string, BankDocumentState>> {
  const transfers = await queryTransfers(session, 'Id', documentIds, 'reading transfers back');
  return markMatched(
    session,
    new Map(transfers.map((transfer) => [transfer.Id, { documentId: transfer.Id, reconciled: false }])),
    transfers,
  );
}

async function queryTransfers(
  session: QuickbooksReader,
  field: 'Id' | 'TxnDate',
  values: readonly string[],
  what: string,
): Promise<z.infer<typeof transferSchema>[]> {
  const transfers: z.infer<typeof transferSchema>[] = [];
  for (let start = 0; start < values.length; start += PER_QUERY) {
    const list = values
      .slice(start, start + PER_QUERY)
      .map(quoted)
      .join(', ');
    for (let position = 1; ; position += PAGE_SIZE) {
      const reply = await read(
        session,
        what,
        queryUrl(
          session,
          `select * from Transfer where ${field} in (${list}) startposition ${position} maxresults ${PAGE_SIZE}`,
        ),
        transferQuerySchema,
      );
      const page = reply.QueryResponse.Transfer ?? [];
      transfers.push(...page);
      if (page.length < PAGE_SIZE) break;
    }
  }
  return transfers;
}

/** The states with `reconciled` set for each transfer the TransactionList report lists as Cleared or Reconciled over their dates. */
async function markMatched(
  session: QuickbooksReader,
  states: Map<string, BankDocumentState>,
  transfers: readonly { Id: string; TxnDate: string }[],
): Promise<Map<string, BankDocumentState>> {
  if (states.size === 0) return states;
  const dates = transfers.map((transfer) => transfer.TxnDate).sort();
  const matched = new Set<string>();
  for (const cleared of MATCHED) {
    const url = `${session.company}/reports/TransactionList?start_date=${dates[0] ?? ''}&end_date=${dates.at(-1) ?? ''}&cleared=${cleared}&minorversion=${QUICKBOOKS_MINOR_VERSION}`;
    const report = await read(session, 'reading which transfers are cleared', url, transactionListSchema);
    for (const row of report.Rows?.Row ?? []) {
      // The transaction-type cell carries the transaction's id, wherever the report's columns put it.
      const type = row.ColData?.find((cell) => cell.value === 'Transfer' && cell.id !== undefined);
      if (type?.id !== undefined) matched.add(type.id);
    }
  }
  for (const state of states.values()) state.reconciled = matched.has(state.documentId);
  return states;
}
