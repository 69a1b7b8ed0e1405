import { closestName } from '../config/index.js';
import { UsageError } from '../errors.js';
import { listed, printable } from '../log/index.js';

/** The command line as typed, when known: a refusal then shows it mended. */
export interface TypedCommandLine {
  argv?: readonly string[] | undefined;
}

/**
 * A flag's value from a fixed set, or a refusal that names what was expected and the command
 * line the user most likely meant: `balances --by wek` is refused with
 * `--by takes day, week or month, not "wek"; did you mean "ledgerline balances --by week"?`.
 */
export function flagChoice<T extends string>(
  typed: TypedCommandLine,
  flag: string,
  value: unknown,
  choices: readonly T[],
): T {
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  throw new UsageError(choiceRefusal(typed, flag, value, choices));
}

/** The refusal `flagChoice` throws, for a command that weighs a value against more than one meaning. */
export function choiceRefusal(
  typed: TypedCommandLine,
  flag: string,
  value: unknown,
  choices: readonly string[],
): string {
  const given = typeof value === 'string' ? value : String(value);
  const close = closestName(given, choices);
  const expected = `${flag} takes ${listed(choices)}, not "${printable(given)}"`;
  return close === undefined ? expected : `${expected}; did you mean "${mendedLine(typed, flag, given, close)}"?`;
}

/** The typed command line with `flag`'s value `given` replaced by `meant`; the flag alone when the line is not known. */
export function mendedLine(typed: TypedCommandLine, flag: string, given: string, meant: string): string {
  const argv = typed.argv;
  if (argv === undefined) return `${flag} ${meant}`;
  const mended = argv.map((arg, index) => {
    if (arg === `${flag}=${given}`) return `${flag}=${meant}`;
    return arg === given && argv[index - 1] === flag ? meant : arg;
  });
  return ['ledgerline', ...mended].map(quoted).join(' ');
}

function quoted(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${printable(arg).replace(/'/g, "'\\''")}'`;
}
