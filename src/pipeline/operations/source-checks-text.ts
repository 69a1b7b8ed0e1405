import type { SourceCheck } from './source-checks.js';

/** How `sources test` names each check's result. */
const RESULT = { pass: 'ok', fail: 'FAILED', warn: 'warning' } as const;

/** One line per source, its columns aligned; a failure's fix on the line under it. */
export function sourcesTable(rows: readonly (SourceCheck & { source: string; kind: string })[]): string {
  const header = ['source', 'kind', 'call', 'result', 'time', 'answer'];
  const cells = rows.map((row) => [
    row.source,
    row.kind,
    row.subject,
    RESULT[row.status],
    `${row.elapsedMs} ms`,
    row.detail,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((cell) => cell[column]!.length)));
  const line = (cell: readonly string[]) =>
    cell
      .map((text, column) => (column === cell.length - 1 ? text : text.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  const lines = [line(header)];
  rows.forEach((row, index) => {
    lines.push(line(cells[index]!));
    if (row.fix !== undefined) lines.push(`  fix: ${row.fix}`);
  });
  const failed = rows.filter((row) => row.status === 'fail').length;
  lines.push('', `${rows.length} sources, ${rows.length - failed} answered, ${failed} failed`);
  return `${lines.join('\n')}\n`;
}
