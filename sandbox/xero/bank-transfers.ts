import type { IncomingMessage } from 'node:http';
import { deterministicUuid, headerText, readCents, type FakeOutcome } from '../fake-kit/index.js';
import { centsJson, JsonNumber } from '../json-text.js';
import { dateEpochMs, lockDateRefusals, msDate, msDateTime } from './journal-checks.js';
import type { XeroTenant } from './tenant.js';
import {
  bankDocumentList,
  bankAccountRefusal,
  readBankDate,
  readFlag,
  writeBankDocuments,
  type BankAccountRef,
  type BankDocumentCheck,
} from './bank-checks.js';

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

const WHERE_FIELDS = [
  'BankTransferID',
  'Reference',
  'Date',
  'FromIsReconciled',
  'ToIsReconciled',
  'HasAttachments',
  'CreatedDateUTC',
] as const;

export function writeBankTransfers(tenant: XeroTenant, request: IncomingMessage, body: Buffer): FakeOutcome {
  const key = headerText(request, 'idempotency-key');
  return writeBankDocuments(tenant, body, {
    name: 'BankTransfers',
    marker: 'FromBankAccount',
    check: (element) => checkTransfer(tenant, element),
    keep: (draft) => keepTransfer(tenant, draft, key),
    render: (transfer) => renderBankTransfer(tenant, transfer),
  });
}

type TransferDraft = Omit<XeroStoredBankTransfer, 'bankTransferId' | 'createdAt' | 'idempotencyKey'>;

function keepTransfer(
  tenant: XeroTenant,
  draft: TransferDraft,
  idempotencyKey: string | undefined,
): XeroStoredBankTransfer {
  const transfer = {
    ...draft,
    bankTransferId: deterministicUuid(tenant.seed, 'bank-transfer', tenant.bankTransfers.length + 1),
    createdAt: tenant.now(),
    idempotencyKey,
  };
  tenant.bankTransfers.push(transfer);
  return transfer;
}

function checkTransfer(tenant: XeroTenant, element: Record<string, unknown>): BankDocumentCheck<TransferDraft> {
  const errors: string[] = [];
  const from = bankAccountRefusal(tenant, element.FromBankAccount, 'FromBankAccount');
  const to = bankAccountRefusal(tenant, element.ToBankAccount, 'ToBankAccount');
  for (const side of [from, to]) if ('error' in side) errors.push(side.error);
  if ('account' in from && 'account' in to && from.account.code === to.account.code)
    errors.push('The From and To bank accounts must be different.');
  const amount = readCents(element.Amount);
  if (!amount.ok)
    errors.push(
      amount.problem === 'too-many-decimals'
        ? 'The Amount can have at most 2 decimal places.'
        : 'The Amount must be specified.',
    );
  else if (amount.cents <= 0n) errors.push('The Amount must be greater than zero.');
  const date = readBankDate(element.Date, tenant.today());
  errors.push(
    ...(date === undefined
      ? [`The Date ${String(element.Date)} is not a valid date.`]
      : lockDateRefusals(date, tenant)),
  );
  const reference = typeof element.Reference === 'string' && element.Reference !== '' ? element.Reference : undefined;
  const echo = { Amount: element.Amount, Date: element.Date, Reference: reference };
  if (errors.length > 0 || !('account' in from) || !('account' in to) || !amount.ok || date === undefined)
    return { errors, echo, draft: undefined };
  const draft = {
    from: from.account,
    to: to.account,
    cents: amount.cents,
    date,
    reference,
    fromIsReconciled: readFlag(element.FromIsReconciled),
    toIsReconciled: readFlag(element.ToIsReconciled),
  };
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
