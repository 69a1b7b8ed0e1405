import { isCalendarDate } from '../calendar/index.js';
import { closestName } from '../config/index.js';
import { UsageError } from '../errors.js';
import { printable } from '../log/index.js';
import { YESTERDAY } from '../app/books-days.js';
import type { CommandProcess } from './command.js';
import { apiDestinationNames } from '../app/destination-choices.js';
import { flagChoice } from './flag-choice.js';

/**
 * The destination and the window's end of a post's command line (DESIGN §6: `post xero|quickbooks
 * [--from DATE --to DATE]`). The older spellings keep working with a note on stderr: `--to xero` names
 * the destination (so `post --to xero --from D --to D` is xero over D..D) and `--until D` ends the window.
 */
export function readPostLine(
  context: CommandProcess,
  flags: { to: string[]; until?: string | undefined },
): { to: string; until: string | undefined } {
  const [named, ...extra] = context.positionals;
  const names = apiDestinationNames();
  const legacy = flags.to.filter((value) => names.includes(value));
  const ends = flags.to.filter((value) => !legacy.includes(value));
  if (extra.length > 0)
    throw new UsageError(
      `post takes one destination, not "${extra.join(' ')}": ledgerline post ${names.join('|')} [--from DATE --to DATE]`,
    );
  const destinations = [...(named === undefined ? [] : [flagChoice(context, 'post', named, names)]), ...legacy];
  if (new Set(destinations).size > 1)
    throw new UsageError(
      `post delivers to one destination at a time, not ${destinations.join(' and ')}: run "ledgerline ` +
        `post ${destinations[0]!}" and "ledgerline post ${destinations[1]!}"`,
    );
  const to = destinations[0];
  if (to === undefined) {
    const close = ends.map((end) => closestName(end, names)).find((name) => name !== undefined);
    throw new UsageError(
      `post needs a destination, ${names.join(' or ')}: ` +
        `${close ? `did you mean "ledgerline post ${close}"?` : `e.g. "ledgerline post ${names[0] ?? ''} --dry-run"`}`,
    );
  }
  if (legacy.length > 0)
    context.stderr.write(
      `note: "post --to ${to}" is the older spelling of "post ${to}"; --to now ends the window (--from DATE --to DATE), as in every other command\n`,
    );
  if (ends.length > 1)
    throw new UsageError(`--to takes one date, the window's end, not ${ends.map((end) => `"${end}"`).join(' and ')}`);
  const { until } = flags;
  if (until !== undefined && ends.length > 0)
    throw new UsageError('--until is the older spelling of --to DATE: give one of them');
  if (until !== undefined) context.stderr.write('note: --until is the older spelling of --to DATE; it still works\n');
  const end = ends[0] ?? until;
  if (end !== undefined && end !== YESTERDAY && !isCalendarDate(end)) {
    const close = closestName(end, names);
    throw new UsageError(
      `--to takes a date YYYY-MM-DD or "yesterday", the window's end, not "${printable(end)}"${close ? `; did you mean "ledgerline post ${close}"?` : ''}`,
    );
  }
  return { to, until: end };
}
