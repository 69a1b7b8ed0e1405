import type { Readable, Writable } from 'node:stream';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { closestName, redactSecrets, type CheckedCache } from '../config/index.js';
import { EXIT, LedgerlineError, UsageError, type ExitCode, messageOf } from '../errors.js';
import {
  openLogFile,
  type LogFile,
  createLogger,
  LOG_LEVELS,
  printable,
  printableLines,
  teeLogger,
} from '../log/index.js';
import { createSystemClock, type Clock } from '../http/index.js';
import { commandTable } from './commands/index.js';
import type { LedgerAccess } from '../app/ledger-mode.js';
import type { Command, CommandEntry, CommandProcess, FlagValues, OptionSpecs } from './command.js';
import { forEachEntity } from './each-entity.js';
import { commandHelp, generalHelp } from './help.js';
import { clearProgressLine } from './progress-bar.js';
import { flag, optionSpecsOf, parseFlags, runWithFlags } from './flags.js';
import { packageVersion } from './version.js';
import { isVersionFlag, versionAsked } from './version-flag.js';

export interface CliProcess {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  /** Where a command reads what the user types (connect's pasted URL, its organisation choice); process.stdin unless given. */
  stdin?: Readable & { isTTY?: boolean };
  /** Aborts when the process is asked to stop (the real CLI wires SIGINT/SIGTERM). */
  stopSignal?: AbortSignal;
  now?: () => Date;
  /** What the command's waits sleep on and, when `now` is not given, what it reads the time from; the system's unless given. */
  clock?: Clock;
  /** Where the configuration's and the chart's checks are kept (start.ts gives the CLI's; tests give none). */
  checkedCache?: CheckedCache | undefined;
}

/** Flags every command accepts, before or after the subcommand. */
const GLOBAL_FLAGS = z.object({
  config: flag.text('PATH', 'configuration file (else $LEDGERLINE_CONFIG, else ./ledgerline.yaml)'),
  entity: flag.text('NAME', 'the entity (under entities: in the configuration) whose books the command works on'),
  json: flag.boolean('machine-readable output where the output is data'),
  debug: flag.boolean('stack traces for internal errors'),
  help: flag.boolean('this help', 'h'),
  version: flag.boolean("ledgerline's version", 'v'),
  'log-format': flag.choice(['json', 'text'], 'F', 'json | text (default: text on a terminal, json otherwise)'),
  'log-level': flag.choice(LOG_LEVELS, 'L', 'debug | info | warn | error'),
  'log-file': flag.text('PATH', 'also append the log to PATH as JSON lines'),
});
const GLOBAL_OPTIONS = optionSpecsOf(GLOBAL_FLAGS);
type GlobalFlags = z.output<typeof GLOBAL_FLAGS>;

/**
 * The whole CLI as a function of argv and the process: the only place that
 * turns errors into exit codes (DESIGN §6). Nothing escapes as a stack trace
 * unless --debug asks for it.
 */
export async function runCli(argv: readonly string[], proc: CliProcess): Promise<ExitCode> {
  const secrets = new Set<string>();
  const redact = (text: string): string => redactSecrets(text, secrets);
  const debug = argv.includes('--debug');
  let logFile: LogFile | undefined;
  try {
    const commandName = findCommandName(argv);
    if (await answeredWithoutCommand(argv, commandName, proc)) return EXIT.ok;
    const entry = findCommand(commandName!);
    const command = await entry.load();
    const options = optionSpecsOf(command.flags);
    const parsed = parseCommandLine(argv, commandName!, { ...GLOBAL_OPTIONS, ...options });
    // `--help` once the command's flags are read, as `--version`: `adjust --reason -h` is a reason, not a request for help.
    if (parsed.values['help'] === true) {
      proc.stdout.write(commandHelp(entry, command, GLOBAL_OPTIONS));
      return EXIT.ok;
    }
    const [stray] = parsed.positionals;
    if (command.arguments === undefined && stray !== undefined) {
      const close = closestName(stray.replace(/^-+/, ''), Object.keys(options));
      throw new UsageError(
        `${commandName} takes no argument "${printable(stray)}"${close ? `; did you mean --${close}?` : ''} (see "ledgerline help ${commandName}")`,
      );
    }
    // A global flag's refusal shows the flag alone (`did you mean "--log-format json"?`), as it always has.
    const globals = parseFlags(GLOBAL_FLAGS, parsed.values, {});
    // `--version` further on than main.ts looks (`status --json -v`), now that no flag of the command took it as its value.
    if (globals.version) return versionPrinted(proc);
    const clock = proc.clock ?? createSystemClock();
    const now = proc.now ?? (() => new Date(clock.now()));
    const logging = commandLogger(globals, proc, { debug, redact, now });
    logFile = logging.logFile;
    const context: CommandProcess = {
      positionals: parsed.positionals,
      ledger: ledgerAccessOf(entry, command, parsed.positionals),
      argv,
      configPath: globals.config,
      entity: globals.entity,
      json: globals.json,
      debug,
      env: proc.env,
      cwd: proc.cwd,
      stdout: proc.stdout,
      stderr: proc.stderr,
      stdin: () => proc.stdin ?? process.stdin,
      logger: logging.logger,
      addSecrets: (values) => values.forEach((value) => secrets.add(value)),
      redact,
      stopSignal: proc.stopSignal ?? new AbortController().signal,
      now,
      clock,
      checkedCache: proc.checkedCache,
    };
    const eachEntity = command.eachEntity;
    if (eachEntity === true || (typeof eachEntity === 'function' && eachEntity(parsed.values)))
      return await forEachEntity(context, (entity, flags) => runWithFlags(command, flags ?? parsed.values, entity), {
        command: commandName!,
        flags: parsed.values,
      });
    return await runWithFlags(command, parsed.values, context);
  } catch (error) {
    return exitCodeOf(error, debug, (text) => {
      clearProgressLine(proc.stderr);
      // An error may echo what was typed or read (`--period "\u001b]0;t…"`): its controls are shown, never obeyed.
      proc.stderr.write(`${printableLines(redact(text))}\n`);
    });
  } finally {
    logFile?.close();
  }
}

/** `--version`, `help [COMMAND]` and a bare `ledgerline` are answered before any command loads; true when one was. */
async function answeredWithoutCommand(
  argv: readonly string[],
  commandName: string | undefined,
  proc: CliProcess,
): Promise<boolean> {
  if (
    versionAsked(argv) ||
    (commandName === undefined &&
      argv.some((arg, at) => isVersionFlag(arg) && !GLOBAL_VALUE_FLAGS.includes(argv[at - 1] ?? '')))
  ) {
    proc.stdout.write(`${packageVersion()}\n`);
    return true;
  }
  const topic =
    commandName === 'help' ? argv.slice(argv.indexOf('help') + 1).find((arg) => !arg.startsWith('-')) : undefined;
  if (commandName === undefined || (commandName === 'help' && topic === undefined)) {
    proc.stdout.write(generalHelp(commandTable(), GLOBAL_OPTIONS));
    return true;
  }
  if (topic === undefined) return false;
  const helped = findCommand(topic);
  proc.stdout.write(commandHelp(helped, await helped.load(), GLOBAL_OPTIONS));
  return true;
}

function versionPrinted(proc: CliProcess): ExitCode {
  proc.stdout.write(`${packageVersion()}\n`);
  return EXIT.ok;
}

/**
 * How the command opens the ledger, from its table entry, named as the witness and the ledger's holders say it: the
 * command and the verb its arguments name first (`transit accept`, `adjust approve`), when it was given one.
 */
function ledgerAccessOf(entry: CommandEntry, command: Command, positionals: readonly string[]): LedgerAccess {
  const verbs = (command.arguments ?? '').split('|').map((words) => words.trim().split(' ')[0] ?? '');
  const [verb] = positionals;
  const named =
    verb !== undefined && /^[a-z]+$/.test(verb) && verbs.includes(verb) ? `${entry.name} ${verb}` : entry.name;
  return { mode: entry.ledger === 'none' ? 'read-only' : entry.ledger, command: named };
}

/** The command's logger: stderr in the chosen format and level, and with --log-file (opened once the flags are read) JSON lines to that file too. */
function commandLogger(
  globals: GlobalFlags,
  proc: CliProcess,
  { debug, redact, now }: { debug: boolean; redact: (text: string) => string; now: () => Date },
): { logger: CommandProcess['logger']; logFile: LogFile | undefined } {
  const logFormat = globals['log-format'] ?? (proc.stderr.isTTY ? 'text' : 'json');
  const logLevel = globals['log-level'] ?? (debug ? 'debug' : 'info');
  const logFilePath = globals['log-file'];
  const logFile = logFilePath === undefined ? undefined : openLogFile(resolve(proc.cwd, logFilePath));
  const shared = { level: logLevel, redact, clock: now };
  const toStderr = createLogger({
    ...shared,
    format: logFormat,
    write: (line) => {
      clearProgressLine(proc.stderr);
      proc.stderr.write(`${line}\n`);
    },
    color: Boolean(proc.stderr.isTTY) && !('NO_COLOR' in proc.env),
  });
  // --log-file: JSON lines whatever stderr shows, for log shippers and for reading a night's run later.
  const toFile =
    logFile === undefined
      ? undefined
      : createLogger({ ...shared, format: 'json', write: (line) => logFile.writeLine(line), color: false });
  const logger = teeLogger(toFile === undefined ? [toStderr] : [toStderr, toFile]);
  return { logger, logFile };
}

/** The one mapping from a failure to an exit code: a LedgerlineError says its own, anything else is a bug (70). */
function exitCodeOf(error: unknown, debug: boolean, say: (text: string) => void): ExitCode {
  // The reader went away (`ledgerline export | head`): nothing is wrong with the books.
  if ((error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE') return EXIT.ok;
  if (error instanceof LedgerlineError) {
    say(`error: ${error.message}`);
    if (debug && error.stack) say(error.stack);
    return error.exitCode;
  }
  const message = messageOf(error);
  say(`internal error: ${firstLine(message)}`);
  say(
    debug && error instanceof Error && error.stack
      ? error.stack
      : 'This is a bug in ledgerline: please report it with the command you ran (add --debug for the stack trace).',
  );
  return EXIT.internal;
}

/** The global flags that take a value (`--config`, `--entity` …): what follows one is its value, never a command or a flag. */
const GLOBAL_VALUE_FLAGS: readonly string[] = Object.entries(GLOBAL_OPTIONS)
  .filter(([, spec]) => spec.type === 'string')
  .map(([name]) => `--${name}`);

function findCommandName(argv: readonly string[]): string | undefined {
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    if (GLOBAL_VALUE_FLAGS.includes(arg)) {
      index += 1;
      continue;
    }
    if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

/** The command named `name`, or a usage error that suggests the closest one. */
function findCommand(name: string): CommandEntry {
  const commands = commandTable();
  const entry = commands.find((candidate) => candidate.name === name);
  if (entry) return entry;
  const names = [...commands.map((candidate) => candidate.name), 'help'];
  const close = closestName(name, names) ?? names.find((known) => known.startsWith(name.toLowerCase()));
  throw new UsageError(
    `unknown command "${printable(name)}"${close ? `; did you mean "${close}"?` : ''} Run "ledgerline help" for the list`,
  );
}

/**
 * node:util's parseArgs does the parsing; its messages are rewritten here in our words, with the flag
 * named, a "did you mean" for a typo, and where to read more.
 */
function parseCommandLine(argv: readonly string[], commandName: string, options: OptionSpecs) {
  const args = [...argv];
  args.splice(args.indexOf(commandName), 1);
  const more = `see "ledgerline help ${commandName}"`;
  try {
    // A FlagSpec is parseArgs' option (type, short, multiple) with what `--help` shows besides, which parseArgs ignores.
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as FlagValues, positionals };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = messageOf(error);
    const flag = /'(-[^ ']*)/.exec(message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const typed = flag.replace(/^-+/, '').split('=')[0] ?? '';
      const close = closestName(typed, Object.keys(options));
      throw new UsageError(
        `${commandName}: unknown option ${printable(flag)}${close ? `; did you mean --${close}?` : ''} (${more})`,
      );
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const name = flag.replace(/^-+/, '');
      const spec = options[name];
      if (spec?.type === 'boolean') throw new UsageError(`${commandName}: ${flag} takes no value (${more})`);
      // parseArgs refuses `--reason -v` as ambiguous: a value that begins with a dash is written `--reason=-v`.
      const dashed = message.includes('ambiguous') ? `; a value beginning with "-" is written ${flag}=VALUE` : '';
      throw new UsageError(
        `${commandName}: ${flag} needs a value${spec?.value ? ` (${spec.value})` : ''}${dashed} (${more})`,
      );
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      throw new UsageError(
        `${commandName}: unexpected argument ${printable(/'([^']*)'/.exec(message)?.[1] ?? '')} (${more})`,
      );
    }
    throw new UsageError(`${commandName}: ${printable(message)} (${more})`);
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
