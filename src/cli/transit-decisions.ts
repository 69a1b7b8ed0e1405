import type { Config } from '../config/index.js';
import { EXIT, type ExitCode } from '../errors.js';
import type { Decision } from '../pipeline/transit/index.js';
import { decisionJson, decisionLine } from '../reads/transit-decision-text.js';
import { handDecision, type HandDecisionAsked } from '../app/hand-decision.js';
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
  const decision = await recordHandDecision(context, loadConfigFor(context), {
    verb,
    itemId,
    line,
    typedIn: 'command',
  });
  if (context.json) writeJson(context, decisionJson(itemId, decision));
  else context.stdout.write(`${decisionLine(verb, itemId, decision)}\n`);
  return EXIT.ok;
}

/** The decision (app/hand-decision.ts) as of the books' day, on books opened for writing, as the user running the command (or the console). */
export async function recordHandDecision(
  context: CommandProcess,
  config: Config,
  asked: HandDecisionAsked,
): Promise<Decision> {
  const { today } = await booksDays(config, context);
  const day = { today, now: context.now() };
  const user = operatingSystemUser();
  return withBooksFor(config, context.ledger, (books) => handDecision(books, config, day, asked, user));
}
