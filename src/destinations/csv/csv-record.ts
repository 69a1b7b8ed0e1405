/** A cell must be quoted when it holds the delimiter, a quote or a line break (RFC 4180). */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV record ending in CRLF, exactly as csv-stringify writes it with
 * `record_delimiter: '\r\n'` and `quote_record_delimiter: true`: a cell is
 * quoted only when it holds `,` `"` CR or LF, quotes inside doubled, an empty
 * cell left empty. csvRecord(['a', 'b,c', 'say "hi"']) === 'a,"b,c","say ""hi"""\r\n'.
 */
export function csvRecord(cells: readonly string[]): string {
  let record = '';
  for (let index = 0; index < cells.length; index += 1) {
    const cell = cells[index]!;
    if (index > 0) record += ',';
    record += csvCell(cell);
  }
  return `${record}\r\n`;
}

/** One cell as csvRecord writes it: quoted, quotes doubled, when it holds `,` `"` CR or LF. */
export function csvCell(cell: string): string {
  return NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}
