/** Text for HTML: every character that could open markup or end an attribute is written as a reference. */
export function text(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * Decimal text as an accountant reads it: thousands grouped, a negative in brackets.
 * Example: "-1234567.5" → "(1,234,567.5)"; "61.00" → "61.00".
 */
export function money(decimal: string): string {
  const negative = decimal.startsWith('-');
  const [whole = '', fraction] = (negative ? decimal.slice(1) : decimal).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const shown = fraction === undefined ? grouped : `${grouped}.${fraction}`;
  return negative ? `(${shown})` : shown;
}

/** A cell of money: right-aligned figures that line up. */
export function moneyCell(decimal: string | null): string {
  return `<td class="num">${decimal === null ? '' : text(money(decimal))}</td>`;
}

/** An account as the chart names it, its key in small print. */
export function accountCell(name: string, key: string): string {
  return `<th scope="row">${text(name)}${name === key ? '' : ` <small class="key">${text(key)}</small>`}</th>`;
}

export function table(
  caption: string,
  head: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
  attributes = '',
): string {
  const cells = (row: readonly (string | number | null)[]) =>
    row
      .map(
        (cell, index) =>
          `<td${index > 0 && typeof cell === 'string' && /^-?\d/.test(cell) ? ' class="num"' : ''}>${cell === null ? '' : text(cell)}</td>`,
      )
      .join('');
  return `<table${attributes}><caption>${text(caption)}</caption><thead><tr>${head.map((cell) => `<th scope="col">${text(cell)}</th>`).join('')}</tr></thead><tbody>${
    rows.length === 0
      ? `<tr><td colspan="${head.length}">none</td></tr>`
      : rows.map((row) => `<tr>${cells(row)}</tr>`).join('')
  }</tbody></table>`;
}
