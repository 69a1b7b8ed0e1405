import { z } from 'zod';
import { centsFromJsonNumber } from '../delivery/cents-number.js';
import type { RemoteJournal } from '../destination-client.js';
import { readXeroReply } from './xero-replies.js';
import type { XeroTransport } from './xero-transport.js';

/** References per `where`: the filter stays short enough for a URL. */
const PER_QUERY = 50;

const documentsSchema = z.object({
  bankTransactions: z.array(
    z.object({
      bankTransactionID: z.string().optional(),
      type: z.string().nullish(),
      reference: z.string().nullish(),
      status: z.string().nullish(),
      lineItems: z.array(z.object({ taxType: z.string().nullish(), taxAmount: z.number().nullish() })).nullish(),
    }),
  ),
});

/**
 * The bank transactions ledgerline created under these references (adjusting entries' ids), each read back as a
 * journal with its coded lines' tax (issue 82), signed debit positive: a SPEND debits its lines, a RECEIVE credits
 * them. Deleted or voided ones are left out. `clauses` are the references' where clauses (Reference=="…"), built by the
 * client that escapes them. Example: SPEND of 9.00 on 404, INPUT2, TaxAmount 1.50 → { taxes:
 * [{ code: INPUT2, cents: 150n }] }; the same RECEIVE → −150n.
 */
export async function xeroDocumentTaxes(
  transport: XeroTransport,
  tenantId: string,
  clauses: readonly string[],
): Promise<Map<string, { documentId: string; held: RemoteJournal }>> {
  const found = new Map<string, { documentId: string; held: RemoteJournal }>();
  for (let start = 0; start < clauses.length; start += PER_QUERY) {
    const where = clauses.slice(start, start + PER_QUERY).join(' OR ');
    const reply = await transport.read('reading bank transactions back for their tax', () =>
      transport.api.getBankTransactions(tenantId, undefined, where),
    );
    const { bankTransactions } = readXeroReply(documentsSchema, reply.body, 'GET BankTransactions', 'no list');
    for (const document of bankTransactions) {
      if (document.reference == null || document.status === 'DELETED' || document.status === 'VOIDED') continue;
      const sign = document.type === 'RECEIVE' ? -1n : 1n;
      const taxes = (document.lineItems ?? []).flatMap((line) =>
        line.taxType == null || line.taxType === 'NONE'
          ? []
          : [{ code: line.taxType, cents: sign * centsFromJsonNumber(line.taxAmount ?? 0) }],
      );
      found.set(document.reference, {
        documentId: document.bankTransactionID ?? document.reference,
        held: { state: 'present', lines: [], taxes },
      });
    }
  }
  return found;
}
