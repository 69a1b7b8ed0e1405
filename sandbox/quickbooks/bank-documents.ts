import { z } from 'zod';
import { centsJson } from '../json-text.js';
import { adminCall, type FakeReply } from '../fake-kit/index.js';
import { pacificTime, type Outcome, type QuickBooksCompany } from './company.js';
import type { IntuitFaultError } from './entry-checks.js';
import { unsupportedBody } from './faults.js';
import { isObject, readJson } from './request-body.js';
import { accountRef, businessRule, missing, positiveCents, txnDate } from './bank-checks.js';

/**
 * Transfer and Deposit (Finance.xsd): create and read, each with a cleared status a person sets in QuickBooks'
 * bank screens (markCleared, or POST /quickbooks/__admin/clear). The entities carry no cleared element; the
 * TransactionList report filters on it (reports.ts).
 */

export const QUICKBOOKS_CLEARED_STATUSES = ['Uncleared', 'Cleared', 'Reconciled'] as const;
export type QuickBooksClearedStatus = (typeof QUICKBOOKS_CLEARED_STATUSES)[number];

interface StoredBankDocument {
  id: string;
  txnDate: string;
  privateNote: string | undefined;
  cleared: QuickBooksClearedStatus;
  createdAt: number;
}

export interface QuickBooksStoredTransfer extends StoredBankDocument {
  fromAccountId: string;
  toAccountId: string;
  cents: bigint;
}

export interface QuickBooksStoredDeposit extends StoredBankDocument {
  depositToAccountId: string;
  lines: readonly { accountId: string; cents: bigint; description: string | undefined }[];
}

export function createTransfer(company: QuickBooksCompany, body: Buffer): Outcome {
  const parsed = readJson(body);
  if (!parsed.ok || !isObject(parsed.value))
    return {
      reply: company.faultReply(400, unsupportedBody(parsed.ok ? 'the body is not an object' : parsed.reason)),
      note: 'unreadable body',
      committed: false,
    };
  const element = parsed.value;
  const errors: IntuitFaultError[] = [];
  const fromAccountId = accountRef(company, element.FromAccountRef, 'FromAccountRef', errors, { balanceSheet: true });
  const toAccountId = accountRef(company, element.ToAccountRef, 'ToAccountRef', errors, { balanceSheet: true });
  if (fromAccountId !== undefined && fromAccountId === toAccountId)
    errors.push(businessRule('a transfer needs two different accounts.', 'ToAccountRef'));
  const cents = positiveCents(element.Amount, 'Amount', errors);
  const date = txnDate(company, element.TxnDate, errors);
  if (
    errors.length > 0 ||
    fromAccountId === undefined ||
    toAccountId === undefined ||
    cents === undefined ||
    date === undefined
  )
    return refused(company, errors);
  const transfer: QuickBooksStoredTransfer = {
    ...stored(company, date, element.PrivateNote),
    fromAccountId,
    toAccountId,
    cents,
  };
  company.transfers.push(transfer);
  return {
    reply: company.reply(200, { Transfer: renderTransfer(company, transfer), time: company.time() }),
    note: `stored transfer ${transfer.id}`,
    committed: true,
  };
}

export function createDeposit(company: QuickBooksCompany, body: Buffer): Outcome {
  const parsed = readJson(body);
  if (!parsed.ok || !isObject(parsed.value))
    return {
      reply: company.faultReply(400, unsupportedBody(parsed.ok ? 'the body is not an object' : parsed.reason)),
      note: 'unreadable body',
      committed: false,
    };
  const element = parsed.value;
  const errors: IntuitFaultError[] = [];
  const depositToAccountId = accountRef(company, element.DepositToAccountRef, 'DepositToAccountRef', errors);
  const rawLines = Array.isArray(element.Line) ? (element.Line as unknown[]) : [];
  if (rawLines.length === 0) errors.push(missing('Line'));
  const lines = rawLines.flatMap((raw, index) => {
    const line = isObject(raw) ? raw : {};
    const detail = isObject(line.DepositLineDetail) ? line.DepositLineDetail : {};
    const accountId = accountRef(company, detail.AccountRef, `Line[${index}].DepositLineDetail.AccountRef`, errors);
    const cents = positiveCents(line.Amount, `Line[${index}].Amount`, errors);
    return accountId === undefined || cents === undefined
      ? []
      : [{ accountId, cents, description: typeof line.Description === 'string' ? line.Description : undefined }];
  });
  const date = txnDate(company, element.TxnDate, errors);
  if (errors.length > 0 || depositToAccountId === undefined || date === undefined) return refused(company, errors);
  const deposit: QuickBooksStoredDeposit = { ...stored(company, date, element.PrivateNote), depositToAccountId, lines };
  company.deposits.push(deposit);
  return {
    reply: company.reply(200, { Deposit: renderDeposit(company, deposit), time: company.time() }),
    note: `stored deposit ${deposit.id}`,
    committed: true,
  };
}

function stored(company: QuickBooksCompany, date: string, privateNote: unknown): StoredBankDocument {
  // One numbering for every transaction of the company, as QuickBooks' ids are.
  return {
    id: String((company.entriesCreated += 1)),
    txnDate: date,
    privateNote: typeof privateNote === 'string' ? privateNote : undefined,
    cleared: 'Uncleared',
    createdAt: company.now(),
  };
}

function refused(company: QuickBooksCompany, errors: IntuitFaultError[]): Outcome {
  return {
    reply: company.faultReply(400, { type: 'ValidationFault', Error: errors }),
    note: `refused ${errors.map((error) => error.code).join(',')}`,
    committed: false,
  };
}

function base(company: QuickBooksCompany, document: StoredBankDocument) {
  const created = pacificTime(document.createdAt, false);
  return {
    domain: 'QBO',
    sparse: false,
    Id: document.id,
    SyncToken: '0',
    MetaData: { CreateTime: created, LastUpdatedTime: created },
    TxnDate: document.txnDate,
    CurrencyRef: { value: company.homeCurrency },
    PrivateNote: document.privateNote,
  };
}

function ref(company: QuickBooksCompany, id: string) {
  return { value: id, name: company.accounts.find((account) => account.id === id)?.name };
}

export function renderTransfer(
  company: QuickBooksCompany,
  transfer: QuickBooksStoredTransfer,
): Record<string, unknown> {
  return {
    ...base(company, transfer),
    FromAccountRef: ref(company, transfer.fromAccountId),
    ToAccountRef: ref(company, transfer.toAccountId),
    Amount: centsJson(transfer.cents),
  };
}

export function renderDeposit(company: QuickBooksCompany, deposit: QuickBooksStoredDeposit): Record<string, unknown> {
  const total = deposit.lines.reduce((sum, line) => sum + line.cents, 0n);
  return {
    ...base(company, deposit),
    DepositToAccountRef: ref(company, deposit.depositToAccountId),
    Line: deposit.lines.map((line, index) => ({
      Id: String(index + 1),
      LineNum: index + 1,
      Description: line.description,
      Amount: centsJson(line.cents),
      DetailType: 'DepositLineDetail',
      DepositLineDetail: { AccountRef: ref(company, line.accountId) },
    })),
    TotalAmt: centsJson(total),
  };
}

/** What a person does in QuickBooks' register or reconcile screen: a transfer or deposit becomes Cleared or Reconciled. */
export function markCleared(
  company: QuickBooksCompany,
  id: string,
  status: QuickBooksClearedStatus = 'Reconciled',
): void {
  const document = [...company.transfers, ...company.deposits].find((candidate) => candidate.id === id);
  if (!document) throw new RangeError(`the QuickBooks fake holds no transfer or deposit ${id}`);
  document.cleared = status;
}

const ClearRequestSchema = z.strictObject({
  id: z.string().min(1),
  status: z.enum(QUICKBOOKS_CLEARED_STATUSES).optional(),
});

/** POST /quickbooks/__admin/clear {"id", "status"?}: 200 with what was marked, 400 for a body it cannot read, 404 for an unknown id. */
export function adminClear(company: QuickBooksCompany, body: Buffer): FakeReply {
  return adminCall(body, ClearRequestSchema, (request) => {
    markCleared(company, request.id, request.status);
    return { id: request.id, cleared: request.status ?? 'Reconciled' };
  });
}
