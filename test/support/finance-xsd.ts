/**
 * The elements Intuit's Finance.xsd gives a `Transaction`, which JournalEntry and Transfer extend
 * (intuit/QuickBooks-V3-Java-SDK, ipp-v3-java-data/src/main/xsd/Finance.xsd, complexType Transaction, read
 * 2026-11-26): what a request body of either may carry besides its own elements.
 */
export const FINANCE_XSD_TRANSACTION: readonly string[] = [
  'DocNumber',
  'TxnDate',
  'DepartmentRef',
  'CurrencyRef',
  'ExchangeRate',
  'PrivateNote',
  'TxnStatus',
  'LinkedTxn',
  'Line',
  'TxnTaxDetail',
  'TxnSource',
  'TaxFormType',
  'TaxFormNum',
  'TransactionLocationType',
  'Tag',
  'TxnApprovalInfo',
  'RecurDataRef',
  'RecurringInfo',
  'ProjectRef',
  'TotalCostAmount',
  'HomeTotalCostAmount',
];

/** The keys of `body` that the published shape does not list. */
export function unlisted(body: object, listed: readonly string[]): string[] {
  return Object.keys(body).filter((key) => !listed.includes(key));
}
