import type { Writable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { redactSecrets } from '../config/index.js';
import { EXIT, LedgerlineError, UsageError, type ExitCode } from '../errors.js';
import { openLogFile, type LogFile } from '../log/log-file.js';
import { createLogger, type LogLevel } from '../log/logger.js';
import { teeLogger } from '../log/tee-logger.js';
import { COMMANDS } from './commands/index.js';
import type { CommandContext, OptionSpecs } from './command.js';

export interface CliProcess {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  /** Aborts when the process is asked to stop (the real CLI wires SIGINT/SIGTERM). */
  stopSignal?: AbortSignal;
  now?: () => Date;
}

/** Flags every command accepts, before or after the subcommand. */
const GLOBAL_OPTIONS: OptionSpecs = {
  config: { type: 'string' },
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  'log-format': { type: 'string' },
  'log-level': { type: 'string' },
  'log-file': { type: 'string' },
};

/**
 * The whole CLI as a function of argv and the process: the only place that
 * turns errors into exit codes (DESIGN §6). Nothing escapes as a stack trace
 * unless --debug asks for it.
 */
export async function runCli(argv: readonly string[], proc: CliProcess): Promise<ExitCode> {
  const secrets = new Set<string>();
  const redact = (text: string): string => redactSecrets(text, secrets);
  const debug = argv.includes('--debug');
  const say = (text: string) => proc.stderr.write(`${redact(text)}\n`);
  let logFile: LogFile | undefined;
  try {
    const commandName = findCommandName(argv);
    if (argv.includes('--version') || argv.includes('-v')) {
      proc.stdout.write(`${packageVersion()}\n`);
      return EXIT.ok;
    }
    const entry = COMMANDS.find((candidate) => candidate.name === commandName);
    if (!commandName || argv.includes('--help') || argv.includes('-h')) {
      proc.stdout.write(entry ? commandHelp(entry.summary, (await entry.load()).usage) : generalHelp());
      return commandName && !entry ? EXIT.usage : EXIT.ok;
    }
    if (!entry) throw new UsageError(`unknown command "${commandName}"; run "ledgerline --help" for the list`);
    const command = await entry.load();

    const parsed = parseCommandLine(argv, commandName, { ...GLOBAL_OPTIONS, ...command.options });
    const logFormat = readChoice(parsed.values['log-format'], ['json', 'text'] as const, '--log-format') ?? (proc.stderr.isTTY ? 'text' : 'json');
    const logLevel: LogLevel = readChoice(parsed.values['log-level'], ['debug', 'info', 'warn', 'error'] as const, '--log-level') ?? (debug ? 'debug' : 'info');
    const now = proc.now ?? (() => new Date());
    const logFilePath = parsed.values['log-file'];
    logFile = typeof logFilePath === 'string' ? openLogFile(resolve(proc.cwd, logFilePath)) : undefined;
    const file = logFile;
    const logger = teeLogger([
      createLogger({
        format: logFormat,
        level: logLevel,
        write: (line) => proc.stderr.write(`${line}\n`),
        redact,
        clock: now,
        color: Boolean(proc.stderr.isTTY) && !('NO_COLOR' in proc.env),
      }),
      // --log-file: JSON lines whatever stderr shows, for log shippers and for reading a night's run later.
      ...(file === undefined ? [] : [createLogger({ format: 'json', level: logLevel, write: (line) => file.writeLine(line), redact, clock: now, color: false })]),
    ]);
    const context: CommandContext = {
      values: parsed.values,
      positionals: parsed.positionals,
      configPath: typeof parsed.values.config === 'string' ? parsed.values.config : undefined,
      json: parsed.values.json === true,
      debug,
      env: proc.env,
      cwd: proc.cwd,
      stdout: proc.stdout,
      stderr: proc.stderr,
      logger,
      addSecrets: (values) => values.forEach((value) => secrets.add(value)),
      redact,
      stopSignal: proc.stopSignal ?? new AbortController().signal,
      now,
    };
    return await command.run(context);
  } catch (error) {
    // The reader went away (`ledgerline export | head`): nothing is wrong with the books.
    if ((error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE') return EXIT.ok;
    if (error instanceof LedgerlineError) {
      say(`error: ${error.message}`);
      if (debug && error.stack) say(error.stack);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    say(`internal error: ${firstLine(message)}`);
    say(debug && error instanceof Error && error.stack ? error.stack : 'This is a bug in ledgerline: please report it with the command you ran (add --debug for the stack trace).');
    return EXIT.internal;
  } finally {
    logFile?.close();
  }
}

function findCommandName(argv: readonly string[]): string | undefined {
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    if (arg === '--config' || arg === '--log-format' || arg === '--log-level' || arg === '--log-file') {
      index += 1;
      continue;
    }
    if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

function parseCommandLine(argv: readonly string[], commandName: string, options: OptionSpecs) {
  const args = [...argv];
  args.splice(args.indexOf(commandName), 1);
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as CommandContext['values'], positionals };
  } catch (error) {
    throw new UsageError(`${commandName}: ${error instanceof Error ? error.message : String(error)}; see "ledgerline ${commandName} --help"`);
  }
}

function readChoice<T extends string>(value: unknown, choices: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${choices.join(', ')}`);
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    'ledgerline: nightly accounting reconciliation for an ad network and SMM panels',
    '',
    'Usage: ledgerline <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Global options:',
    '  --config PATH        configuration file (else $LEDGERLINE_CONFIG, else ./ledgerline.yaml)',
    '  --json               machine-readable output where the output is data',
    '  --log-format F       json | text (default: text on a terminal, json otherwise)',
    '  --log-level L        debug | info | warn | error',
    '  --log-file PATH      also append the log to PATH as JSON lines',
    '  --debug              stack traces for internal errors',
    '  --version, --help',
    '',
    'Exit codes: 0 ok, 1 completed with items to look at, 2 usage or configuration error,',
    '            3 a source or destination failed, 70 internal error (a bug).',
    '',
  ].join('\n');
}

function commandHelp(summary: string, usage: string): string {
  return `${summary}\n\nUsage: ${usage}\n`;
}
