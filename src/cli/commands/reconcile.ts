import { z } from 'zod';
import { sourceKinds } from '../../pipeline/kinds/index.js';
import { renderReconcile, renderTransit, sourceSeries, type StuckAfterDays } from '../../reads/index.js';
import { EXIT, UsageError, type ExitCode } from '../../errors.js';
import { cleanInput, printable } from '../../log/index.js';
import { booksDays, dayOf } from '../../app/books-days.js';
import { findingsFolder } from '../../pipeline/runs/index.js';
import type { Command, CommandProcess } from '../command.js';
import { flag, withFlags } from '../flags.js';
import { loadConfigFor, withBooksFor } from '../../app/configured-books.js';
import { atMost } from '../../app/ledger-mode.js';
import { writeJson } from '../write-json.js';
import { wordSaid } from '../word-said.js';
import { reconcileListing } from '../../pipeline/status/index.js';
import { transitBooks } from '../../pipeline/transit/index.js';
import { reconcileReadsOf } from '../../app/reconcile-reads.js';
import { apiDestinationChoices, apiDestinationNames } from '../../app/destination-choices.js';
import { operatingSystemUser } from '../../app/operating-system-user.js';
import { acknowledgementBooks, acknowledgeListedItem } from '../../pipeline/adjustments/index.js';
import { destinationDocuments } from '../../app/destination-documents.js';

export const reconcileCommand: Command = withFlags({
  // Read when help is shown: a destination kind registered by a plug-in is listed too.
  get usage() {
    return (
      `ledgerline reconcile [--as-of DATE] [--json]   |   ledgerline reconcile --with ${apiDestinationChoices()} [--as-of DATE] [--json]   |   ` +
      'ledgerline reconcile ack ID [--with DESTINATION] [--note TEXT]   |   ledgerline reconcile unack ID [--with DESTINATION]'
    );
  },
  arguments: 'ack ID | unack ID',
  flags: z.object({
    'as-of': flag.date(
      'DATE',
      "judge open items as of DATE (default: the books' day, the day adjust, transit and --with " +
        "date themselves: today, or on a sandbox trial the day after the sandbox's)",
    ),
    note: flag.text('TEXT', 'with ack: what was done about the item, kept with it'),
    with: flag.choiceFrom(
      apiDestinationNames,
      'DEST',
      () =>
        `${apiDestinationChoices(' | ')}: tie out with the destination: read every posted journal ` +
        `back and its trial balance, list journals missing or edited there and balances that differ`,
    ),
  }),
  examples: [
    'ledgerline reconcile          # exit 1 when an action item is waiting for someone',
    'ledgerline reconcile --json   # every item with its id, class and acknowledgement, for a script',
    'ledgerline reconcile ack finding:smm-panel:balance_rise:2026-04-01:2026-04-01 --note "bank transfer 4471"   # dealt with',
    'ledgerline reconcile unack quarantine:12   # look at it again',
    'ledgerline reconcile --with xero --as-of 2026-03-31   # what Xero holds against what was posted, exit 1 on any difference',
  ],
  async run(context) {
    const { flags } = context;
    const config = loadConfigFor(context);
    const days = await booksDays(config, context);
    const today = days.today;
    const asOf = dayOf(flags['as-of'], days.yesterday) ?? today;
    const { stuckAfterDays } = sourceSeries(config.sources, sourceKinds.reportFacts);
    const [verb, itemId, ...rest] = context.positionals;
    if (verb !== undefined) {
      if (verb !== 'ack' && verb !== 'unack')
        throw new UsageError(`reconcile takes "ack ID" or "unack ID", not "${printable(verb)}"`);
      if (itemId === undefined)
        throw new UsageError(`reconcile ${verb} needs the id of an item, as "reconcile --json" or the list shows it`);
      if (rest.length > 0) throw new UsageError(`reconcile ${verb} takes one id; put a note in --note "…"`);
      if (flags.with !== undefined)
        return (await import('../reconcile-with.js')).acknowledgeAtDestination(context, flags.with, asOf, {
          verb,
          itemId,
          note: flags.note ?? null,
        });
      return acknowledge(context, { verb, itemId, note: flags.note ?? null, asOf, today, stuckAfterDays });
    }
    if (flags.note !== undefined) throw new UsageError('--note goes with "reconcile ack ID"');
    if (flags.with !== undefined) return (await import('../reconcile-with.js')).tieOutWith(context, flags.with, asOf);
    // Dated by the books' day, as adjust, transit and --with are: one ledger, one day (issue 51).
    const { report, transit } = await withBooksFor(config, atMost(context.ledger, 'read'), (books) =>
      reconcileListing(
        { reconcileReads: reconcileReadsOf(books), of: books.of, transitBooks: books.of(transitBooks, books.findings) },
        config,
        {
          asOf,
          today,
          now: context.now(),
          documents: () => destinationDocuments(context, config, books),
        },
      ),
    );
    // The transit's invariant: money a clearing account holds of an item the bank settled is named, and needs a person.
    const residues = transit?.clearingResidues ?? [];
    if (context.json)
      writeJson(context, residues.length === 0 ? report : { ...report, clean: false, clearingResidues: residues });
    else
      context.stdout.write(
        `${renderReconcile(report, sourceKinds.findingWords())}${transit === undefined || transit.items.length === 0 ? '' : `\n${renderTransit(transit)}`}` +
          residues.map((residue) => `! ${residue.message}\n`).join(''),
      );
    return report.clean && residues.length === 0 ? EXIT.ok : EXIT.attention;
  },
});

/** Records a person's word on an item the report lists today (pipeline/adjustments), and says what it did. */
async function acknowledge(
  context: CommandProcess,
  request: {
    verb: 'ack' | 'unack';
    itemId: string;
    note: string | null;
    asOf: string;
    today: string;
    stuckAfterDays: StuckAfterDays;
  },
): Promise<ExitCode> {
  const config = loadConfigFor(context);
  const { note } = request;
  if (request.verb === 'unack' && note !== null) throw new UsageError('--note goes with "reconcile ack ID"');
  if (note !== null) cleanInput('--note', note);
  const word = {
    itemId: request.itemId,
    action: request.verb,
    note,
    user: operatingSystemUser(),
    at: context.now().toISOString(),
  };
  // A word on an item of books a sync made: a path with nothing there is refused, not made into an empty ledger.
  const done = await withBooksFor(config, context.ledger, (books) =>
    acknowledgeListedItem(
      {
        decide: (work) =>
          books.decide((tx) =>
            work({ reconcileReads: reconcileReadsOf(tx), acknowledgements: tx.of(acknowledgementBooks) }),
          ),
      },
      { ...request, findingsFolder: findingsFolder(config) },
      word,
    ),
  );
  context.stdout.write(wordSaid(request.verb, done, note));
  return EXIT.ok;
}
