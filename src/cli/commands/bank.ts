import { resolve } from 'node:path';
import { z } from 'zod';
import { EXIT, UsageError } from '../../errors.js';
import { printable } from '../../log/index.js';
import { bankLegTerms, importBankStatement, transitBooks, transitTerms } from '../../pipeline/transit/index.js';
import { sourceKinds } from '../../pipeline/kinds/index.js';
import { booksDays } from '../../app/books-days.js';
import type { Command } from '../command.js';
import { flag, withFlags } from '../flags.js';
import { killPoint } from '../../runtime/kill-point.js';
import { loadConfigFor, withBooksFor } from '../../app/configured-books.js';
import { atMost } from '../../app/ledger-mode.js';
import { writeJson } from '../write-json.js';
import { listBankLines } from '../bank-lines-listing.js';
import { bankImportLine } from '../../reads/index.js';
import { statementFile } from '../statement-file.js';
import { bankLegMappingGaps } from '../../app/booked-mapping-gaps.js';
import { mappingGapLines } from '../../reads/mapping-gap-text.js';

export const bankCommand: Command = withFlags({
  usage:
    'ledgerline bank import FILE --account ID [--dry-run] [--no-opening] [--json]   |   ledgerline bank lines [--unmatched] [--json]',
  arguments: 'import FILE | lines',
  flags: z.object({
    account: flag.text(
      'ID',
      'with import: the bank account the statement is of, the id of a source of kind bank-statement',
    ),
    'dry-run': flag.boolean(
      'with import: read and check the statement, write nothing; say the opening and the matches it would book',
    ),
    'no-opening': flag.boolean(
      "with import: the account's first statement books no opening balance (it comes from elsewhere)",
    ),
    unmatched: flag.boolean('with lines: only the lines no payout or top-up took (the rent, a card fee)'),
  }),
  examples: [
    'ledgerline bank import statement-2026-11.xml --account main-bank   # camt.053: its lines landed, each once',
    'ledgerline bank import 2026-11.ofx --account card                   # OFX 1.x or 2.x',
    "ledgerline bank import export.csv --account main-bank               # CSV, read with the account's csv: column map",
    'ledgerline bank lines --unmatched                                   # what the bank moved that no payout or top-up explains',
  ],
  async run(context) {
    const [verb, path, ...rest] = context.positionals;
    if (verb === 'lines') {
      if (path !== undefined)
        throw new UsageError('bank lines takes no argument: ledgerline bank lines [--unmatched] [--json]');
      return listBankLines(context, context.flags.unmatched);
    }
    if (verb !== 'import')
      throw new UsageError(
        `bank takes "import FILE --account ID" or "lines"${verb === undefined ? '' : `, not "${printable(verb)}"`}`,
      );
    if (path === undefined || rest.length > 0)
      throw new UsageError('bank import takes one statement file: ledgerline bank import FILE --account ID');
    if (context.flags.account === undefined || context.flags.account === '')
      throw new UsageError(
        '--account ID is required: name the bank account (a source of kind bank-statement in ledgerline.yaml)',
      );
    const config = loadConfigFor(context);
    const accounts = sourceKinds.statementAccounts(config.sources);
    const account = accounts.find((source) => source.id === context.flags.account);
    if (account === undefined) {
      const known =
        accounts.length === 0
          ? 'none is configured: add a source with kind: bank-statement to ledgerline.yaml'
          : `the configured ones are ${accounts.map((source) => source.id).join(', ')}`;
      throw new UsageError(
        `--account ${printable(context.flags.account)}: no bank account (a source of kind bank-statement) has that id; ${known}`,
      );
    }
    const file = statementFile(resolve(context.cwd, path), path);
    const bankLegs = bankLegTerms(config);
    const { today } = await booksDays(config, context);
    // The lines landed, each item they settle moves out of clearing at once (its bank leg, booked once).
    const dryRun = context.flags['dry-run'];
    const imported = await withBooksFor(config, dryRun ? atMost(context.ledger, 'read') : context.ledger, (books) =>
      importBankStatement(books.of(transitBooks, books.findings), file, account, {
        ...{ importer: sourceKinds.statementImporterOf(account), now: context.now(), asOf: today },
        ...{ terms: transitTerms(config), bankLegs },
        ...{ at: killPoint(context.env), dryRun, bookOpening: !context.flags['no-opening'] },
        said: (line) => (context.json ? context.stderr : context.stdout).write(`${line}\n`),
      }),
    );
    const gaps = imported.bankLegsBooked === 0 ? [] : bankLegMappingGaps(config, account.ledgerAccount);
    // What was skipped or kept whole is said once, on stderr: the import itself went through.
    for (const note of imported.notes) context.stderr.write(`note: ${imported.file}: ${note}\n`);
    if (context.json) writeJson(context, gaps.length === 0 ? imported : { ...imported, unmappedAccounts: gaps });
    else
      context.stdout.write(
        `${bankImportLine(imported)}${mappingGapLines(gaps)
          .map((line) => `${line}\n`)
          .join('')}`,
      );
    // The lines are kept; an account a destination does not map, or an opening the ledger does not reach, is an
    // action item, as after a sync: exit 1.
    return gaps.length > 0 || imported.opening?.action === 'differs' ? EXIT.attention : EXIT.ok;
  },
});
