import { z } from 'zod';
import type { BankTransfers } from 'xero-node';
import { InvalidReplyError, RequestRejectedError } from '../../errors.js';
import type { BankDocumentClient, BankDocumentState } from '../bank-document-client.js';
import type { DestinationClientOptions } from '../destination-client-options.js';
import type { XeroDestinationConfig } from './xero-config.js';
import { escapeWhere, XERO_LIMITS } from './xero-client.js';
import type { XeroAccount } from './xero-payload.js';
import { xeroBankTransfer, xeroBankTransferKey, type XeroBankTransfer } from './xero-bank-transfer-payload.js';
import { createXeroTransport, type XeroTransport } from './xero-transport.js';

/** References or ids per `where`: the filter stays short enough for a URL. */
const PER_QUERY = 50;

const transfersReplySchema = z.object({
  bankTransfers: z
    .array(
      z.object({
        bankTransferID: z.string().optional(),
        reference: z.string().nullish(),
        fromIsReconciled: z.boolean().nullish(),
        toIsReconciled: z.boolean().nullish(),
        validationErrors: z.array(z.object({ message: z.string().optional() })).nullish(),
      }),
    )
    .nullish(),
});
type TransferReply = NonNullable<z.infer<typeof transfersReplySchema>['bankTransfers']>[number];

/**
 * Xero's side of the bank documents: a BankTransfer per payout or top-up (scope accounting.banktransactions),
 * through the same transport as journals (pacing, retries, token renewal). Look-ups go by Reference, read-backs
 * by BankTransferID.
 */
export function createXeroBankDocuments(options: DestinationClientOptions<XeroDestinationConfig, XeroAccount>): BankDocumentClient {
  const limits = { ...XERO_LIMITS, ...options.limits };
  const tenantId = options.tokenStore.read('xero')?.connection?.tenantId ?? options.config.tenantId ?? '';
  const transport = createXeroTransport(options, limits, tenantId);
  return {
    name: 'Xero',
    async findByReference(requests) {
      const itemIds = requests.map((request) => request.itemId);
      const found = new Map<string, BankDocumentState>();
      for (const transfer of await transfersWhere(transport, tenantId, itemIds, (id) => `Reference=="${escapeWhere(id)}"`, 'looking up bank transfers by reference')) {
        if (transfer.reference && itemIds.includes(transfer.reference) && !found.has(transfer.reference)) found.set(transfer.reference, stateOf(transfer));
      }
      return found;
    },
    create: (request) => create(transport, tenantId, xeroBankTransfer(request, options.mapping), request.itemId),
    async read(documentIds) {
      const found = new Map<string, BankDocumentState>();
      for (const transfer of await transfersWhere(transport, tenantId, documentIds, (id) => `BankTransferID==Guid("${escapeWhere(id)}")`, 'reading bank transfers back')) {
        const state = stateOf(transfer);
        found.set(state.documentId, state);
      }
      return found;
    },
    close: () => transport.close(),
  };
}

async function create(transport: XeroTransport, tenantId: string, transfer: XeroBankTransfer, itemId: string): Promise<string> {
  const what = `creating the bank transfer for ${itemId}`;
  // The payload is xero-node's model; its Account holds more than the code it is named by.
  const body = { bankTransfers: [transfer] } as unknown as BankTransfers;
  const result = await transport.call(what, true, () => transport.api.createBankTransfer(tenantId, body, xeroBankTransferKey(transfer)));
  if (result.kind === 'refused') throw new RequestRejectedError('Xero', result.status, `${what}: ${result.text}`);
  const created = readTransfers(result.value.body, `PUT BankTransfers (${itemId})`)[0];
  if (!created?.bankTransferID) throw new InvalidReplyError('Xero', `PUT BankTransfers (${itemId})`, 'no BankTransferID in the reply');
  return created.bankTransferID;
}

async function transfersWhere(transport: XeroTransport, tenantId: string, keys: readonly string[], clause: (key: string) => string, what: string): Promise<TransferReply[]> {
  const transfers: TransferReply[] = [];
  for (let start = 0; start < keys.length; start += PER_QUERY) {
    const where = keys.slice(start, start + PER_QUERY).map(clause).join(' OR ');
    const reply = await transport.read(what, () => transport.api.getBankTransfers(tenantId, undefined, where));
    transfers.push(...readTransfers(reply.body, 'GET BankTransfers').filter((transfer) => transfer.bankTransferID !== undefined));
  }
  return transfers;
}

function readTransfers(body: unknown, call: string): TransferReply[] {
  const parsed = transfersReplySchema.safeParse(body);
  if (!parsed.success || !parsed.data.bankTransfers) throw new InvalidReplyError('Xero', call, 'no BankTransfers list in the reply');
  return parsed.data.bankTransfers;
}

/** Reconciled when a person matched a statement line to either side: only the bank side ever has statement lines. */
function stateOf(transfer: TransferReply): BankDocumentState {
  return { documentId: transfer.bankTransferID ?? '', reconciled: transfer.fromIsReconciled === true || transfer.toIsReconciled === true };
}
