import type { RenderedEntry } from '../../rules/index.js';
import { formatCents } from '../../money/index.js';
import type { QuickbooksAccount } from '../quickbooks/quickbooks-payload.js';
import type { XeroAccount } from '../xero/xero-payload.js';
import { mappedAccount, type AccountMapping } from '../delivery/account-mapping.js';
import type { BankStatementLayout } from './bank-statement-files.js';
import { formatDate, type DateFormat } from './date-format.js';
import { guardFormula } from './formula-guard.js';

/**
 * Xero's bank statement import (a bank account → Manage Account → Import a Statement), its template's columns:
 * the date and the signed amount (money in positive, out negative) required, payee, description and reference
 * optional; up to 1,000 lines a file.
 */
const XERO_STATEMENT_COLUMNS = ['*Date', '*Amount', 'Payee', 'Description', 'Reference'] as const;

/** QuickBooks Online's bank upload (Banking → Upload transactions), its three-column layout: one signed amount. */
const QUICKBOOKS_BANK_COLUMNS = ['Date', 'Description', 'Amount'] as const;

/**
 * A bank line for Xero's statement import: dated as the journals are, the amount signed, the description the
 * entry's with the account code it is reconciled to, the reference the entry's id. Example: je:bank-leg:P, Dr bank
 * 55.00 / Cr payout_clearing_paypal (631) on 2026-04-02 → "02 Apr 2026", "55.00", "", "Payout P at the bank: … (reconcile
 * to 631)", "je:bank-leg:P".
 */
export function xeroStatementLayout(mapping: AccountMapping<XeroAccount>, dateFormat: DateFormat): BankStatementLayout {
  return {
    columns: XERO_STATEMENT_COLUMNS,
    row: (entry, bankCents, counterpart) => [
      guardFormula(formatDate(entry.date, dateFormat)),
      formatCents(bankCents),
      '',
      guardFormula(`${entry.description} (reconcile to ${mappedAccount(mapping, counterpart, entry.id, 'Xero').code})`),
      guardFormula(entry.id),
    ],
  };
}

/**
 * A bank line for QuickBooks' bank upload: the description the entry's with the account it is categorized as and
 * its id, the amount signed. Example: a top-up's bank leg, Dr topup_clearing 40.00 / Cr bank 40.00 on 2026-04-09 →
 * "04/09/2026", "Top-up T at the bank: … (categorize as Top-up Clearing; je:bank-leg:T)", "-40.00".
 */
export function quickbooksBankLayout(
  mapping: AccountMapping<QuickbooksAccount>,
  dateFormat: DateFormat,
): BankStatementLayout {
  return {
    columns: QUICKBOOKS_BANK_COLUMNS,
    row: (entry: RenderedEntry, bankCents, counterpart) => [
      guardFormula(formatDate(entry.date, dateFormat)),
      guardFormula(
        `${entry.description} (categorize as ${mappedAccount(mapping, counterpart, entry.id, 'QuickBooks').name}; ${entry.id})`,
      ),
      formatCents(bankCents),
    ],
  };
}
