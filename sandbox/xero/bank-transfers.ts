import type { IncomingMessage } from 'node:http';
import { parseJsonExact } from '../../src/money/index.js';
import { deterministicUuid, headerText, jsonReply, readCents, type FakeOutcome } from '../fake-kit/index.js';
import { centsJson, JsonNumber } from '../json-text.js';
import { dateEpochMs, msDate, msDateTime } from './journal-checks.js';
import { postDataInvalid, messages } from './refusals.js';
import type { XeroTenant } from './tenant.js';
import { bankDocumentList, bankAccountRefusal, readBankDate, readFlag, type BankAccountRef } from './bank-checks.js';

/**
 * BankTransfers (XOAS `BankTransfer`): create (PUT/POST), list with `where`, get one. Both accounts must be
 * BANK accounts and differ, Amount must be above 0 with at most 2 decimals; the reconciled flags may be set
 * on create (they default to false). A person matching a statement line in Xero sets them (markReconciled).
 */

export interface XeroStoredBankTransfer {
  bankTransferId: string;
  from: BankAccountRef;
  to: BankAccountRef;
  cents: bigint;
  date: string;
  reference: string | undefined;
  fromIsReconciled: boolean;
  toIsReconciled: boolean;
  createdAt: number;
  idempotencyKey: string | undefined;
}

const WHERE_FIELDS = ['BankTransferID', 'Reference', 'Date', 'FromIsReconciled', 'ToIsReconciled', 'HasAttachments', 'CreatedDateUTC'] as const;

export function writeBankTransfers(tenant: XeroTenant, request: IncomingMessage, body: Buffer): FakeOutcome {
  let parsed: unknown;
  try {
    parsed = parseJsonExact(body.toString('utf8'));
  } catch {
    return { reply: postDataInvalid('JSON for post data was invalid, the body is not JSON.'), note: 'unreadable body' };
  }
  const elements = elementsOf(parsed, 'BankTransfers', 'FromBankAccount');
  if (!elements) return { reply: postDataInvalid('JSON for post data was invalid, no BankTransfers were found.'), note: 'no transfers' };
  const checked = elements.map((element) => checkTransfer(tenant, element));
  const failing = checked.filter((check) => check.errors.length > 0);
  if (failing.length > 0) {
    const out = failing.map((check) => ({ ...check.echo, ValidationErrors: messages(check.errors) }));
    return { reply: jsonReply(400, { ErrorNumber: 10, Type: 'ValidationException', Message: 'A validation exception occurred', Elements: out }), note: `refused ${failing.length} transfers` };
  }
  const key = headerText(request, 'idempotency-key');
  const kept = checked.map((check) => keepTransfer(tenant, check.draft as Omit<XeroStoredBankTransfer, 'bankTransferId' | 'createdAt' | 'idempotencyKey'>, key));
  return { reply: jsonReply(200, tenant.envelope({ BankTransfers: kept.map((transfer) => renderBankTransfer(tenant, transfer)) })), note: `stored ${kept.length} transfers` };
}

function keepTransfer(tenant: XeroTenant, draft: Omit<XeroStoredBankTransfer, 'bankTransferId' | 'createdAt' | 'idempotencyKey'>, idempotencyKey: string | undefined): XeroStoredBankTransfer {
  const transfer = { ...draft, bankTransferId: deterministicUuid(tenant.seed, 'bank-transfer', tenant.bankTransfers.length + 1), createdAt: tenant.now(), idempotencyKey };
  tenant.bankTransfers.push(transfer);
  return transfer;
}

function checkTransfer(tenant: XeroTenant, element: Record<string, unknown>) {
  const errors: string[] = [];
  const from = bankAccountRefusal(tenant, element.FromBankAccount, 'FromBankAccount');
  const to = bankAccountRefusal(tenant, element.ToBankAccount, 'ToBankAccount');
  for (const side of [from, to]) if ('error' in side) errors.push(side.error);
  if ('account' in from && 'account' in to && from.account.code === to.account.code) errors.push('The From and To bank accounts must be different.');
  const amount = readCents(element.Amount);
  if (!amount.ok) errors.push(amount.problem === 'too-many-decimals' ? 'The Amount can have at most 2 decimal places.' : 'The Amount must be specified.');
  else if (amount.cents <= 0n) errors.push('The Amount must be greater than zero.');
  const date = readBankDate(element.Date, tenant.today());
  if (date === undefined) errors.push(`The Date ${String(element.Date)} is not a valid date.`);
  const reference = typeof element.Reference === 'string' && element.Reference !== '' ? element.Reference : undefined;
  const echo = { Amount: element.Amount, Date: element.Date, Reference: reference };
  if (errors.length > 0 || !('account' in from) || !('account' in to) || !amount.ok || date === undefined) return { errors, echo, draft: undefined };
  const draft = { from: from.account, to: to.account, cents: amount.cents, date, reference, fromIsReconciled: readFlag(element.FromIsReconciled), toIsReconciled: readFlag(element.ToIsReconciled) };
  return { errors, echo, draft };
}

export function renderBankTransfer(tenant: XeroTenant, transfer: XeroStoredBankTransfer): Record<string, unknown> {
  const account = (ref: BankAccountRef) => ({ AccountID: tenant.accountId(ref.code), Code: ref.code, Name: ref.name });
  return {
    BankTransferID: transfer.bankTransferId,
    CreatedDateUTC: msDateTime(transfer.createdAt),
    Date: msDate(transfer.date),
    DateString: `${transfer.date}T00:00:00`,
    FromBankAccount: account(transfer.from),
    ToBankAccount: account(transfer.to),
    Amount: centsJson(transfer.cents),
    FromBankTransactionID: deterministicUuid(tenant.seed, 'transfer-side', transfer.bankTransferId, 'from'),
    ToBankTransactionID: deterministicUuid(tenant.seed, 'transfer-side', transfer.bankTransferId, 'to'),
    FromIsReconciled: transfer.fromIsReconciled,
    ToIsReconciled: transfer.toIsReconciled,
    Reference: transfer.reference,
    CurrencyRate: new JsonNumber('1.0'),
    HasAttachments: false,
    Status: 'AUTHORISED',
  };
}

export function listBankTransfers(tenant: XeroTenant, query: URLSearchParams, id: string | undefined): FakeOutcome {
  return bankDocumentList(tenant, query, {
    name: 'BankTransfers',
    typeName: 'BankTransfer',
    fields: WHERE_FIELDS,
    id,
    rows: tenant.bankTransfers.map((transfer) => ({
      id: transfer.bankTransferId,
      render: () => renderBankTransfer(tenant, transfer),
      read: fieldsOf({
        banktransferid: transfer.bankTransferId,
        reference: transfer.reference ?? null,
        date: dateEpochMs(transfer.date),
        fromisreconciled: transfer.fromIsReconciled,
        toisreconciled: transfer.toIsReconciled,
        hasattachments: false,
        createddateutc: transfer.createdAt,
      }),
    })),
  });
}

function fieldsOf(fields: Record<string, string | number | boolean | null>) {
  return (field: string) => fields[field];
}

export function elementsOf(parsed: unknown, listKey: string, marker: string): Record<string, unknown>[] | undefined {
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const record = parsed as Record<string, unknown>;
  const list = Array.isArray(record[listKey]) ? (record[listKey] as unknown[]) : marker in record ? [record] : undefined;
  if (!list || list.length === 0 || !list.every((element) => typeof element === 'object' && element !== null)) return undefined;
  return list as Record<string, unknown>[];
}
