import { assertNever } from '../../src/rules/index.js';
import type { Outcome, QuickBooksCompany } from './company.js';
import { objectNotFound } from './faults.js';
import { createDeposit, createTransfer, renderDeposit, renderTransfer } from './bank-documents.js';
import { transactionList } from './transaction-list.js';

/** The bank side of a company: POST transfer|deposit, GET transfer/{id}|deposit/{id}, GET reports/TransactionList. */

export type BankResource =
  | { kind: 'bank-create'; entity: 'Transfer' | 'Deposit' }
  | { kind: 'bank-get'; entity: 'Transfer' | 'Deposit'; id: string }
  | { kind: 'transaction-list' };

export function bankRequest(
  company: QuickBooksCompany,
  resource: BankResource,
  body: Buffer,
  query: URLSearchParams,
): Outcome {
  switch (resource.kind) {
    case 'bank-create':
      return resource.entity === 'Transfer' ? createTransfer(company, body) : createDeposit(company, body);
    case 'bank-get': {
      const transfer =
        resource.entity === 'Transfer'
          ? company.transfers.find((candidate) => candidate.id === resource.id)
          : undefined;
      const deposit =
        resource.entity === 'Deposit' ? company.deposits.find((candidate) => candidate.id === resource.id) : undefined;
      if (!transfer && !deposit)
        return {
          reply: company.faultReply(400, objectNotFound(resource.id)),
          note: `no such ${resource.entity}`,
          committed: false,
        };
      const rendered = transfer
        ? { Transfer: renderTransfer(company, transfer) }
        : { Deposit: deposit && renderDeposit(company, deposit) };
      return {
        reply: company.reply(200, { ...rendered, time: company.time() }),
        note: `read ${resource.entity} ${resource.id}`,
        committed: false,
      };
    }
    case 'transaction-list':
      return { reply: transactionList(company, query), note: 'transaction list', committed: false };
    default:
      return assertNever(resource);
  }
}

/** The bank resource a path names: transfer and deposit, lower case as Intuit's URIs are. */
export function bankResourceOf(method: string, name: string, id: string | undefined): BankResource | undefined {
  const entity = name === 'transfer' ? 'Transfer' : name === 'deposit' ? 'Deposit' : undefined;
  if (entity && id === undefined && method === 'POST') return { kind: 'bank-create', entity };
  if (entity && id !== undefined && method === 'GET') return { kind: 'bank-get', entity, id };
  if (name === 'reports' && id === 'TransactionList' && method === 'GET') return { kind: 'transaction-list' };
  return undefined;
}
