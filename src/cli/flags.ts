import { z } from 'zod';
import { isCalendarDate } from '../calendar/index.js';
import { UsageError, type ExitCode } from '../errors.js';
import { YESTERDAY } from '../app/books-days.js';
import type { Command, CommandProcess, FlagSchema, FlagSpec, FlagValues, OptionSpecs } from './command.js';
import { choiceRefusal, type TypedCommandLine } from './flag-choice.js';

/** A flag's value refused, said in one line naming the flag (`--as-of`); `given` is what was typed, undefined when the flag was left out. */
type FlagRefusal = (name: string, given: string | undefined, typed: TypedCommandLine) => string;

interface FlagMeta {
  spec: FlagSpec;
  refusal?: FlagRefusal;
}

/** What each flag helper's schema carries besides the check: the spec parseArgs and `--help` read, and how a refusal is worded. */
const flagRegistry = z.registry<FlagMeta>();

function described<Schema extends z.ZodType>(schema: Schema, spec: FlagSpec, refusal?: FlagRefusal): Schema {
  flagRegistry.add(schema, refusal === undefined ? { spec } : { spec, refusal });
  return schema;
}

/**
 * A flag's line of meaning for `--help`; a function when it names what a registry holds (`xero | quickbooks`),
 * called each time help is shown, so a kind a plug-in registers after this module loads is named too.
 */
type FlagMeaning = string | (() => string);

function valueSpec(value: string, meaning: FlagMeaning, multiple = false): FlagSpec {
  const spec = { type: 'string', value, ...(multiple ? { multiple } : {}) } as const;
  if (typeof meaning === 'string') return { ...spec, description: meaning };
  return {
    ...spec,
    get description() {
      return meaning();
    },
  };
}

/**
 * A flag that takes a value, read by `read`: undefined refuses the value, in the words of `refusal`. Optional;
 * `.unwrap()` makes it one that must be given, whose absence is refused in the same words (`given` undefined).
 */
function valueFlag<T>(
  value: string,
  description: FlagMeaning,
  read: (given: string) => T | undefined,
  refusal: FlagRefusal,
) {
  const reading = z.string().transform((given, context) => {
    const taken = read(given);
    if (taken !== undefined) return taken;
    context.addIssue({ code: 'custom', message: `refused ${JSON.stringify(given)}`, input: given });
    return z.NEVER;
  });
  return described(reading, valueSpec(value, description), refusal).optional();
}

/**
 * The flag helpers: each takes the placeholder `--help` shows for the value (DATE, ID …) and one line of meaning.
 * A command's flags are one zod object of them (a FlagSchema). From it come the `OptionSpecs` parseArgs and
 * `--help` read, and the flags `run` receives, parsed and typed:
 *
 *   flags: z.object({
 *     'as-of': flag.date('DATE', 'the trial balance of every entry dated up to DATE'),
 *     by: flag.choice(BALANCE_PERIODS, 'day|month', 'split the figures per day or per month'),
 *   })
 *
 * gives `run` `context.flags['as-of']: string | undefined` and `context.flags.by: 'day' | 'month' | undefined`.
 */
export const flag = {
  /** A switch: true when given. */
  boolean: (description: string, short?: string) =>
    described(z.boolean().default(false), { type: 'boolean', description, ...(short === undefined ? {} : { short }) }),
  /** Free text: a path, an id, an address. */
  text: (value: string, description: string) =>
    described(z.string().optional(), { type: 'string', value, description }),
  /** Free text that must be given: left out (or empty), it is refused as `--source ID is required: <why>`. */
  requiredText: (value: string, description: string, why: string) =>
    described(
      z.string().min(1),
      { type: 'string', value, description },
      (name) => `${name} ${value} is required: ${why}`,
    ),
  /** Free text given once per value (`--source a --source b`); none given is the empty list. */
  repeatedText: (value: string, description: FlagMeaning) =>
    described(z.array(z.string()).default([]), valueSpec(value, description, true)),
  /** A calendar date YYYY-MM-DD or "yesterday", kept as the word: the command knows which day that is (calendar.ts `dayOf`). */
  date: (value: string, description: string) =>
    valueFlag(
      value,
      description,
      (given) => (given === YESTERDAY || isCalendarDate(given) ? given : undefined),
      (name, given) => dateRefusal(name, given, true),
    ),
  /** A calendar date YYYY-MM-DD, where "yesterday" means nothing (a simulated world's days). */
  calendarDate: (value: string, description: string) =>
    valueFlag(
      value,
      description,
      (given) => (isCalendarDate(given) ? given : undefined),
      (name, given) => dateRefusal(name, given, false),
    ),
  /** One of `choices`; a typo is refused with the command line the user most likely meant (flag-choice.ts). */
  choice: <const Choice extends string>(choices: readonly Choice[], value: string, description: FlagMeaning) =>
    valueFlag(
      value,
      description,
      (given) => choices.find((choice) => choice === given),
      (name, given, typed) => choiceRefusal(typed, name, given, choices),
    ),
  /**
   * One of what `choices` gives when the flags are parsed: the names a registry holds (the destination kinds),
   * read neither at module load nor once, since a plug-in can register a kind; `description` names them for `--help`.
   */
  choiceFrom: (choices: () => readonly string[], value: string, description: () => string) =>
    valueFlag(
      value,
      description,
      (given) => choices().find((choice) => choice === given),
      (name, given, typed) => choiceRefusal(typed, name, given, choices()),
    ),
  /** A whole number written as digits, of at least `least` when the flag has a floor. */
  wholeNumber: (value: string, description: string, least?: number) =>
    valueFlag(
      value,
      description,
      (given) => {
        const number = readWholeNumber(given);
        return number !== undefined && number >= (least ?? 0) ? number : undefined;
      },
      (name, given) => wholeNumberRefusal(name, given, least),
    ),
  /** A TCP port to listen on, 0 to 65535 (0: any free one). */
  port: (value: string, description: string) => valueFlag(value, description, readPort, portRefusal),
  /** A value read by the command's own rule: `read` returns undefined to refuse it, `refusal` says why. */
  readWith: valueFlag,
};

/** The refusal of a date flag's value that is not a calendar date (nor, where it is taken, "yesterday"). */
function dateRefusal(flag: string, value: unknown, takesYesterday: boolean): string {
  return `${flag} must be a calendar date YYYY-MM-DD${takesYesterday ? ' or "yesterday"' : ''}, got ${JSON.stringify(value)}`;
}

/** A whole number written as digits, within what a number holds exactly; undefined for anything else. */
function readWholeNumber(given: string): number | undefined {
  const number = /^\d+$/.test(given) ? Number(given) : Number.NaN;
  return Number.isSafeInteger(number) ? number : undefined;
}

/** The refusal of a value that is not a whole number (of at least `least`, when the flag has a floor). */
function wholeNumberRefusal(name: string, value: unknown, least?: number): string {
  return least === undefined
    ? `${name} must be a whole number, got ${JSON.stringify(value)}`
    : `${name} must be a whole number of at least ${least} (got ${String(value)})`;
}

/**
 * A TCP port, 0 to 65535, written as digits; undefined for anything else. `flag.port` reads a listening
 * command's `--port` with it, so `--port 99999` is a usage mistake said in one line, not Node's RangeError
 * surfacing from listen() as a bug.
 */
function readPort(given: string): number | undefined {
  return /^\d{1,5}$/.test(given) && Number(given) <= 65_535 ? Number(given) : undefined;
}

function portRefusal(flag: string, value: unknown): string {
  return `${flag} must be a whole number from 0 to 65535, got ${JSON.stringify(value)}`;
}

/**
 * A rule across flags, for the flag schema's `superRefine`: `refusal` gives the words of the refusal, or
 * undefined when the flags go together (`--to` needs `--from`). It is checked once each flag's value is read.
 */
export function ruleAcrossFlags<Flags>(
  refusal: (flags: Flags) => string | undefined,
): (flags: Flags, context: z.RefinementCtx<Flags>) => void {
  return (flags, context) => {
    const message = refusal(flags);
    if (message !== undefined) context.addIssue({ code: 'custom', message });
  };
}

/** What parseArgs and `--help` read of each flag of `schema`, in the schema's order. */
export function optionSpecsOf(schema: FlagSchema): OptionSpecs {
  return Object.fromEntries(Object.entries(schema.shape).map(([name, field]) => [name, flagMetaOf(name, field).spec]));
}

/**
 * The flags parseArgs read, parsed by `schema` (flags of other schemas, such as the global ones, are left
 * out). The first refusal is a UsageError naming the flag; a rule across flags (the schema's `superRefine`)
 * says its own message.
 */
export function parseFlags<Schema extends FlagSchema>(
  schema: Schema,
  values: FlagValues,
  typed: TypedCommandLine,
): z.output<Schema> {
  // Without zod's compiled fast path: a command's flags are parsed once (ONCE in src/config/zod-problems.ts).
  const parsed = schema.safeParse(values, { jitless: true });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const [name] = issue.path;
  if (typeof name !== 'string') throw new UsageError(issue.message);
  const given = values[name];
  const refusal = flagMetaOf(name, schema.shape[name]!).refusal;
  throw new UsageError(
    refusal === undefined
      ? `--${name}: ${issue.message}`
      : refusal(`--${name}`, typeof given === 'string' ? given : undefined, typed),
  );
}

function flagMetaOf(name: string, field: z.core.$ZodType): FlagMeta {
  for (let at: z.core.$ZodType = field; ;) {
    const meta = flagRegistry.get(at);
    if (meta !== undefined) return meta;
    // `.default(…)` or `.optional()` added to a helper's schema wraps it; the helper's spec is inside.
    if (!(at instanceof z.ZodDefault || at instanceof z.ZodOptional)) break;
    at = at.unwrap();
  }
  throw new Error(`--${name} is not built by a flag helper of cli/flags.ts: --help could not describe it`);
}

/** A command, typed: `run` is given the flags of its schema as the schema parses them. */
export function withFlags<Schema extends FlagSchema>(command: Command<Schema>): Command {
  return command;
}

/** Runs `command` with the flags parseArgs read, parsed by its schema first: a refused flag rejects before `run` is called. */
export async function runWithFlags(command: Command, values: FlagValues, process: CommandProcess): Promise<ExitCode> {
  return command.run({ ...process, flags: parseFlags(command.flags, values, process) });
}
