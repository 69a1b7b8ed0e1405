import type { Config } from '../config/index.js';
import { EXIT, type ExitCode } from '../errors.js';
import { bankLegTerms, decideByHand as decide, transitTerms, type Decision } from '../pipeline/transit/index.js';
import { booksDays } from '../app/books-days.js';
import type { CommandProcess } from './command.js';
import { loadConfigFor, withBooksFor } from '../app/configured-books.js';
import { writeJson } from './write-json.js';
import { operatingSystemUser } from '../app/operating-system-user.js';

/**
 * `transit match ITEM LINE` and `transit unmatch ITEM`: a person's word, recorded with who and when, in one unit of
 * work with the bank leg and the acknowledgement that follow from it. Saying it again records nothing (exit 0).
 */
export async function decideByHand(
  context: CommandProcess,
  verb: 'match' | 'unmatch',
  itemId: string,
  line: string | undefined,
): Promise<ExitCode> {
  const decision = await handDecision(context, loadConfigFor(context), { verb, itemId, line, typedIn: 'command' });
  if (context.json)
    writeJson(context, {
      item: itemId,
      recorded: decision.recorded,
      state: decision.standing.state,
      bankLine: bankLineOf(decision),
      bankLegsBooked: decision.bankLegsBooked,
      bankLegReversed: decision.bankLegReversed ?? null,
      lateDifferences: decision.lateDifferences ?? [],
    });
  else context.stdout.write(`${decisionLine(verb, itemId, decision)}\n`);
  return EXIT.ok;
}

/** What a person asked of an item: its line (`match`, with the line) or to let its line go (`unmatch`), and where they asked. */
export interface HandDecisionAsked {
  verb: 'match' | 'unmatch';
  itemId: string;
  line: string | undefined;
  typedIn: 'command' | 'form';
}

/**
 * The decision recorded as the user running the command (or the console), on the books opened for writing, as of
 * the books' day: one use case for `transit match`/`unmatch` and the console's bank-lines page.
 */
export async function handDecision(
  context: CommandProcess,
  config: Config,
  asked: HandDecisionAsked,
): Promise<Decision> {
  const { today } = await booksDays(config, context.now(), (warning) => context.logger.warn(warning));
  const options = {
    asOf: today,
    terms: transitTerms(config),
    now: context.now(),
    bankLegs: bankLegTerms(config),
    typedIn: asked.typedIn,
  };
  const user = operatingSystemUser();
  return withBooksFor(config, {}, (books) => decide(books.transitBooks, options, asked, user));
}

function bankLineOf(decision: Decision): string | null {
  const { match } = decision.standing;
  return match === null ? null : `${match.line.account}:${match.line.lineId}`;
}

/** What was done, in one line: the CLI prints it, the console's bank-lines page shows it. */
export function decisionLine(verb: 'match' | 'unmatch', itemId: string, decision: Decision): string {
  const { state } = decision.standing;
  const line = bankLineOf(decision);
  if (!decision.recorded)
    return verb === 'match'
      ? `${itemId} takes ${line} already; nothing recorded`
      : `${itemId} holds no bank line; nothing recorded`;
  const moved = decision.bankLegsBooked > 0 ? '; what the line moved left clearing for the bank' : '';
  const next = state === 'differs' ? `; its difference is booked with "ledgerline transit accept ${itemId}"` : '';
  const reversed =
    decision.bankLegReversed === undefined
      ? ''
      : `; the bank leg of its earlier line reversed by ${decision.bankLegReversed}`;
  const booked = (decision.lateDifferences ?? []).map((said) => `\n${said}`).join('');
  return verb === 'match'
    ? `matched by hand: ${itemId} takes ${line} (${state})${reversed}${moved}${next}${booked}`
    : `unmatched: ${itemId} is ${state} now${line === null ? '' : `, with ${line}`}${reversed}${next}${booked}`;
}
