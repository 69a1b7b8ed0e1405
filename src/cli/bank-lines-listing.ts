import { EXIT, type ExitCode } from '../errors.js';
import { renderBankLines } from '../reads/index.js';
import { bankLinesView, transitBooks, transitTerms } from '../pipeline/transit/index.js';
import { booksDays } from '../app/books-days.js';
import type { CommandProcess } from './command.js';
import { loadConfigFor, withBooksFor } from '../app/configured-books.js';
import { atMost } from '../app/ledger-mode.js';
import { writeJson } from './write-json.js';

/** `ledgerline bank lines [--unmatched]`: every landed line and what took it; exit 1 when a line no item took is listed. */
export async function listBankLines(context: CommandProcess, unmatchedOnly: boolean): Promise<ExitCode> {
  const config = loadConfigFor(context);
  const { today } = await booksDays(config, context);
  const { asOf, lines } = await withBooksFor(config, atMost(context.ledger, 'read'), (books) =>
    bankLinesView(books.of(transitBooks, books.findings), {
      asOf: today,
      terms: transitTerms(config),
      now: context.now(),
      unmatchedOnly,
    }),
  );
  const report = { asOf, lines };
  if (context.json) writeJson(context, report);
  else context.stdout.write(renderBankLines(report, unmatchedOnly));
  return report.lines.some((line) => line.takenBy === null) ? EXIT.attention : EXIT.ok;
}
