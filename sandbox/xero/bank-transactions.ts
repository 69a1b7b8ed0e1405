import { deterministicUuid, readCents, type FakeOutcome } from '../fake-kit/index.js';
import { centsJson } from '../json-text.js';
import { parseScaled } from '../../src/money/index.js';
import {
  dateEpochMs,
  lineTax,
  lockDateRefusals,
  msDate,
  msDateTime,
  taxTypeRefusals,
  XERO_LINE_AMOUNT_TYPES,
  type XeroLineAmountTypes,
} from './journal-checks.js';
import type { XeroTenant } from './tenant.js';
import {
  bankAccountRefusal,
  bankDocumentList,
  readBankDate,
  readFlag,
  writeBankDocuments,
  type BankAccountRef,
  type BankDocumentCheck,
} from './bank-checks.js';

/**
 * BankTransactions (XOAS `BankTransaction`), the RECEIVE and SPEND kinds only: money in or out of a BANK
 * account against line items on other accounts, with a Contact (required), a Reference and IsReconciled
 * (settable on create, false by default). LineAmountTypes Inclusive or Exclusive codes each line by its TaxType (the
 * account's own when the line names none) and keeps its TaxAmount, worked per line as on a manual journal: 9.00
 * Inclusive at INPUT2's 20 % holds 1.50 of tax, 7.50 net (issue 82); NoTax, or none given (the fake's reading: Xero's
 * documented default is Exclusive [U]), holds none. A line is coded to
 * an active account that is not a bank account (Xero's account picker for spend and receive money offers none;
 * money between two bank accounts is a BankTransfer).
 */

export const XERO_FAKE_BANK_TRANSACTION_TYPES = ['RECEIVE', 'SPEND'] as const;

export interface XeroStoredBankTransaction {
  bankTransactionId: string;
  type: (typeof XERO_FAKE_BANK_TRANSACTION_TYPES)[number];
  bankAccount: BankAccountRef;
  contactName: string;
  lineAmountTypes: XeroLineAmountTypes;
  /** Each line as sent, with its TaxType ('NONE' under NoTax) and the tax Xero worked on it, signed like the line's amount. */
  lines: readonly {
    accountCode: string;
    cents: bigint;
    description: string | undefined;
    taxType: string;
    taxCents: bigint;
  }[];
  date: string;
  reference: string | undefined;
  isReconciled: boolean;
  updatedAt: number;
}

const WHERE_FIELDS = ['BankTransactionID', 'Type', 'Reference', 'Date', 'IsReconciled', 'Status'] as const;

export function writeBankTransactions(tenant: XeroTenant, body: Buffer): FakeOutcome {
  return writeBankDocuments(tenant, body, {
    name: 'BankTransactions',
    marker: 'Type',
    check: (element) => checkTransaction(tenant, element),
    keep: (draft) => keep(tenant, draft),
    render: (transaction) => renderBankTransaction(tenant, transaction),
  });
}

type TransactionDraft = Omit<XeroStoredBankTransaction, 'bankTransactionId' | 'updatedAt'>;

function keep(tenant: XeroTenant, draft: TransactionDraft): XeroStoredBankTransaction {
  const transaction = {
    ...draft,
    bankTransactionId: deterministicUuid(tenant.seed, 'bank-transaction', tenant.bankTransactions.length + 1),
    updatedAt: tenant.now(),
  };
  tenant.bankTransactions.push(transaction);
  return transaction;
}

function checkTransaction(tenant: XeroTenant, element: Record<string, unknown>): BankDocumentCheck<TransactionDraft> {
  const errors: string[] = [];
  const type = XERO_FAKE_BANK_TRANSACTION_TYPES.find((candidate) => candidate === element.Type);
  if (!type) errors.push(`The Type ${String(element.Type)} is not one this fake takes: RECEIVE or SPEND.`);
  const contact =
    typeof element.Contact === 'object' && element.Contact !== null
      ? (element.Contact as Record<string, unknown>)
      : undefined;
  const contactName =
    typeof contact?.Name === 'string'
      ? contact.Name
      : typeof contact?.ContactID === 'string'
        ? contact.ContactID
        : undefined;
  if (contactName === undefined) errors.push('A Contact must be specified.');
  const bank = bankAccountRefusal(tenant, element.BankAccount, 'BankAccount');
  if ('error' in bank) errors.push(bank.error);
  const lineAmountTypes =
    XERO_LINE_AMOUNT_TYPES.find((candidate) => candidate === (element.LineAmountTypes ?? 'NoTax')) ?? 'NoTax';
  if (!XERO_LINE_AMOUNT_TYPES.some((candidate) => candidate === (element.LineAmountTypes ?? 'NoTax')))
    errors.push(`LineAmountTypes ${String(element.LineAmountTypes)} is not Exclusive, Inclusive or NoTax.`);
  const lines = readLines(tenant, element.LineItems, lineAmountTypes, errors);
  const date = readBankDate(element.Date, tenant.today());
  errors.push(
    ...(date === undefined
      ? [`The Date ${String(element.Date)} is not a valid date.`]
      : lockDateRefusals(date, tenant)),
  );
  const reference = typeof element.Reference === 'string' && element.Reference !== '' ? element.Reference : undefined;
  const echo = { Type: element.Type, Date: element.Date, Reference: reference };
  if (errors.length > 0 || !type || contactName === undefined || !('account' in bank) || date === undefined)
    return { errors, echo, draft: undefined };
  return {
    errors,
    echo,
    draft: {
      type,
      bankAccount: bank.account,
      contactName,
      lineAmountTypes,
      lines,
      date,
      reference,
      isReconciled: readFlag(element.IsReconciled),
    },
  };
}

function readLines(
  tenant: XeroTenant,
  value: unknown,
  lineAmountTypes: XeroLineAmountTypes,
  errors: string[],
): XeroStoredBankTransaction['lines'] {
  const items = Array.isArray(value) ? (value as unknown[]) : [];
  if (items.length === 0) errors.push('At least one line item must be specified.');
  return items.flatMap((item, index) => {
    const line = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
    const code = typeof line.AccountCode === 'string' ? line.AccountCode : '';
    const account = tenant.accounts.find((candidate) => candidate.code === code && candidate.status === 'ACTIVE');
    if (!account) errors.push(`Line ${index + 1}: Account code '${code}' is not a valid code for this document.`);
    else if (account.type === 'BANK')
      errors.push(
        `Line ${index + 1}: Account code '${code}' is a bank account: money between two bank accounts is a bank transfer.`,
      );
    const amount = readCents(line.LineAmount ?? line.UnitAmount);
    if (!amount.ok || amount.cents <= 0n) {
      errors.push(`Line ${index + 1}: the amount must be a number above zero with at most 2 decimal places.`);
      return [];
    }
    const named = typeof line.TaxType === 'string' && line.TaxType !== '' ? line.TaxType : undefined;
    const taxType = lineAmountTypes === 'NoTax' ? 'NONE' : (named ?? account?.taxType ?? 'NONE');
    if (named !== undefined && account !== undefined && lineAmountTypes !== 'NoTax')
      errors.push(
        ...taxTypeRefusals(named, account, tenant.taxRates).map((refusal) => `Line ${index + 1}: ${refusal}`),
      );
    const rate = tenant.taxRates.find((candidate) => candidate.taxType === taxType)?.rate;
    const taxCents =
      lineAmountTypes === 'NoTax' || rate === undefined
        ? 0n
        : lineTax(amount.cents, parseScaled(rate, 4), lineAmountTypes);
    return [
      {
        accountCode: code,
        cents: amount.cents,
        description: typeof line.Description === 'string' ? line.Description : undefined,
        taxType,
        taxCents,
      },
    ];
  });
}

export function renderBankTransaction(
  tenant: XeroTenant,
  transaction: XeroStoredBankTransaction,
): Record<string, unknown> {
  const amounts = transaction.lines.reduce((sum, line) => sum + line.cents, 0n);
  const tax = transaction.lines.reduce((sum, line) => sum + line.taxCents, 0n);
  const [subTotal, total] =
    transaction.lineAmountTypes === 'Exclusive' ? [amounts, amounts + tax] : [amounts - tax, amounts];
  return {
    BankTransactionID: transaction.bankTransactionId,
    Type: transaction.type,
    Contact: { Name: transaction.contactName },
    BankAccount: {
      AccountID: tenant.accountId(transaction.bankAccount.code),
      Code: transaction.bankAccount.code,
      Name: transaction.bankAccount.name,
    },
    LineItems: transaction.lines.map((line) => ({
      AccountCode: line.accountCode,
      Description: line.description,
      Quantity: centsJson(100n),
      UnitAmount: centsJson(line.cents),
      LineAmount: centsJson(line.cents),
      TaxType: line.taxType,
      TaxAmount: centsJson(line.taxCents),
    })),
    IsReconciled: transaction.isReconciled,
    Date: msDate(transaction.date),
    Reference: transaction.reference,
    Status: 'AUTHORISED',
    LineAmountTypes: transaction.lineAmountTypes,
    SubTotal: centsJson(subTotal),
    TotalTax: centsJson(tax),
    Total: centsJson(total),
    UpdatedDateUTC: msDateTime(transaction.updatedAt),
    HasAttachments: false,
  };
}

export function listBankTransactions(tenant: XeroTenant, query: URLSearchParams, id: string | undefined): FakeOutcome {
  return bankDocumentList(tenant, query, {
    name: 'BankTransactions',
    typeName: 'BankTransaction',
    fields: WHERE_FIELDS,
    id,
    rows: tenant.bankTransactions.map((transaction) => {
      const fields: Record<string, string | number | boolean | null> = {
        banktransactionid: transaction.bankTransactionId,
        type: transaction.type,
        reference: transaction.reference ?? null,
        date: dateEpochMs(transaction.date),
        isreconciled: transaction.isReconciled,
        status: 'AUTHORISED',
      };
      return {
        id: transaction.bankTransactionId,
        read: (field: string) => fields[field],
        render: () => renderBankTransaction(tenant, transaction),
      };
    }),
  });
}
