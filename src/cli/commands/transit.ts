import { once } from 'node:events';
import { z } from 'zod';
import { EXIT, UsageError } from '../../errors.js';
import { printable } from '../../log/index.js';
import {
  bankBalanceChecks,
  bankLegTerms,
  type BankBalanceOff,
  transitBooks,
  transitJudging,
  transitTerms,
} from '../../pipeline/transit/index.js';
import { bankLedgerAccounts } from '../../config/index.js';
import { booksDays, dayOf } from '../../app/books-days.js';
import type { Command, CommandProcess } from '../command.js';
import { flag, withFlags } from '../flags.js';
import { loadConfigFor, withBooksFor } from '../../app/configured-books.js';
import { atMost } from '../../app/ledger-mode.js';
import { destinationDocuments } from '../../app/destination-documents.js';
import { prettyJsonChunks } from '../pretty-json-chunks.js';
import { renderTransit } from '../../reads/index.js';

export const transitCommand: Command = withFlags({
  usage:
    'ledgerline transit [--as-of DATE] [--json]   |   transit accept ID [--note TEXT]   |   transit match ID LINE   |   transit unmatch ID',
  arguments: 'accept ID | match ID LINE | unmatch ID',
  flags: z.object({
    'as-of': flag.date(
      'DATE',
      "judge each payout and top-up as of DATE (default: today); only today's judgement is recorded",
    ),
    note: flag.text('TEXT', 'with accept: why the match or the difference is right, kept with it'),
  }),
  examples: [
    'ledgerline transit                       # every payout and top-up: its state, age and bank line; exit 1 when one is late or differs',
    'ledgerline transit --as-of 2026-11-30 --json',
    'ledgerline transit accept payelancer:pub:payout:2026-11-14 --note "2.50 fee withheld by the network"   # close it; a difference is booked to bank_fees',
    'ledgerline transit match payelancer:pub:payout:2026-11-14 operating:L-0412   # this line is its (as "ledgerline bank lines" names it)',
    'ledgerline transit unmatch payelancer:pub:payout:2026-11-14                  # the line it took is not its own',
  ],
  async run(context) {
    const config = loadConfigFor(context);
    const days = await booksDays(config, context);
    const [verb, itemId, ...rest] = context.positionals;
    if (verb !== undefined) {
      // A verb's modules are loaded for it alone: the list, which scripts and the night run, never needs them.
      if (verb === 'match' || verb === 'unmatch') {
        const { decideByHand } = await import('../transit-decisions.js');
        return decideByHand(context, verb, ...decisionArguments(verb, itemId, rest));
      }
      if (verb !== 'accept')
        throw new UsageError(`transit takes "accept ID", "match ID LINE" or "unmatch ID", not "${printable(verb)}"`);
      if (itemId === undefined || rest.length > 0)
        throw new UsageError('transit accept takes the id of one item, as "ledgerline transit" lists it');
      return (await import('../accept-transit.js')).acceptTransitItemCommand(
        context,
        itemId,
        context.flags.note ?? null,
      );
    }
    if (context.flags.note !== undefined) throw new UsageError('--note goes with "transit accept ID"');
    const asOf = dayOf(context.flags['as-of'], days.yesterday) ?? days.today;
    const record = context.flags['as-of'] === undefined;
    // Today's judgement is recorded, and each item a bank line settled moves out of clearing (its bank leg, once).
    const bankLegs = record ? { bankLegs: bankLegTerms(config) } : {};
    const ledgerAccounts = new Map(
      bankLedgerAccounts(config.sources).map(({ sourceId, account }) => [sourceId, account]),
    );
    const booked: string[] = [];
    // Today's judgement is recorded in books a sync made: a path with nothing there is a typo, not an empty ledger.
    const { judged, checks } = await withBooksFor(
      config,
      record ? context.ledger : atMost(context.ledger, 'read'),
      async (books) => ({
        judged: await transitJudging.judge(books.of(transitBooks, books.findings), {
          asOf,
          terms: transitTerms(config),
          record,
          now: context.now(),
          documents: await destinationDocuments(context, config, books),
          ...bankLegs,
          said: (line) => booked.push(line),
        }),
        checks: await bankBalanceChecks(books.of(transitBooks, books.findings), ledgerAccounts, asOf),
      }),
    );
    const balancesOff = checks.filter(({ ties }) => !ties).map(({ check }) => check);
    if (context.json)
      await writeTextJson(context, judged, {
        ...(balancesOff.length === 0 ? {} : { bankBalancesOff: balancesOff }),
        ...(booked.length === 0 ? {} : { lateDifferences: booked }),
      });
    else {
      const report = transitJudging.report(judged);
      context.stdout.write(
        `${renderTransit(report)}${booked.map((line) => `${line}\n`).join('')}` +
          (report.clearingResidues ?? []).map((off) => `! ${off.message}\n`).join('') +
          checks.map(({ check, ties }) => `${ties ? ' ' : '!'} ${check.message}\n`).join(''),
      );
    }
    return judged.needsALook || balancesOff.length > 0 ? EXIT.attention : EXIT.ok;
  },
});

/** `match ID LINE` takes an item and a line, `unmatch ID` an item only. */
function decisionArguments(
  verb: 'match' | 'unmatch',
  itemId: string | undefined,
  rest: readonly string[],
): [string, string | undefined] {
  const lines = verb === 'match' ? 1 : 0;
  if (itemId === undefined || rest.length !== lines) {
    throw new UsageError(
      verb === 'match'
        ? 'transit match takes an item and a bank line: ledgerline transit match ID ACCOUNT:LINE-ID'
        : 'transit unmatch takes the id of one item',
    );
  }
  return [itemId, rest[0]];
}

/**
 * The report as JSON, as writeJson writes it (`JSON.stringify(value, null, 2)`, byte for byte), written an item
 * at a time: it holds only text and numbers (amounts are decimal text), so it needs no bigint replacer (issue 56),
 * and a year's items are never one string (issue 72: 100,000 items are 40 MB of JSON, held three times over, as
 * text, redacted and as the written buffer; to a pipe, 325 MB at its peak when its reader is slow). Each item's
 * report is made as its chunk is written, from its standing, judged as it is read (when nothing is recorded): the
 * 100,000 standings and report items are never all held at once.
 */
async function writeTextJson(
  context: CommandProcess,
  judged: transitJudging.Judgement,
  after: { bankBalancesOff?: BankBalanceOff[]; lateDifferences?: string[] },
): Promise<void> {
  // The report's keys in its order: asOf, items, clearingResidues when clearing holds any, then what the CLI adds.
  const value = {
    asOf: judged.asOf,
    items: judged.standings,
    // Read once the items are written: a judgement in turn has found its residues only then.
    get clearingResidues() {
      return judged.clearingResidues.length === 0 ? undefined : judged.clearingResidues;
    },
    ...after,
  };
  // A pipe takes a chunk when its reader has read the last: until then the next waits, else all would queue here.
  for (const chunk of prettyJsonChunks(value, 'items', transitJudging.reportItem))
    if (!context.stdout.write(context.redact(chunk))) await once(context.stdout, 'drain');
  context.stdout.write('\n');
}
