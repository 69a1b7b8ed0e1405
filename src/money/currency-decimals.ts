/** The ISO 4217 codes in use, as the ICU data Node carries lists them (USD, EUR, JPY, …; not XYZ). */
let isoCurrencies: ReadonlySet<string> | undefined;

/**
 * The decimals a currency is written with, as the ISO 4217 table Intl carries gives them: USD 2, JPY 0, BHD 3;
 * undefined for a code not in it.
 */
export function currencyDecimals(currency: string): number | undefined {
  isoCurrencies ??= new Set(Intl.supportedValuesOf('currency'));
  if (!isoCurrencies.has(currency)) return undefined;
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}
