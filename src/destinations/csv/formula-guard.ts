/**
 * First characters that make a spreadsheet run a cell as a formula (OWASP
 * "CSV injection"): = + - @, and tab / CR, which some spreadsheets strip
 * before looking. The full-width forms are included because Apple Numbers
 * normalises them to the ASCII ones (the same list csv-stringify's
 * escape_formulas uses).
 */
const FORMULA_LEADS = new Set(['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);

/**
 * A text cell that a spreadsheet will show as text: one leading single quote
 * when it would otherwise start a formula. guardFormula('=HYPERLINK("http://x","y")')
 * === `'=HYPERLINK("http://x","y")`; guardFormula("Refund 12") is unchanged.
 * Amount columns never pass through here: "-12.34" must stay a number.
 */
export function guardFormula(text: string): string {
  const first = text[0];
  return first !== undefined && FORMULA_LEADS.has(first) ? `'${text}` : text;
}
