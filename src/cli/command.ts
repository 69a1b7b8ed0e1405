import type { Readable, Writable } from 'node:stream';
import type { z } from 'zod';
import type { CheckedCache } from '../config/index.js';
import type { ExitCode } from '../errors.js';
import type { Logger } from '../log/index.js';

/** One flag: how it parses, and what `--help` says of it. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** The placeholder `--help` shows for the value: DATE, FILE, ID … */
  value?: string;
  /** One line of meaning, for `--help`. */
  description: string;
}

export type OptionSpecs = Record<string, FlagSpec>;

/** The flags as node's parseArgs reads them, before a command's flag schema (cli/flags.ts) types them. */
export type FlagValues = Record<string, string | boolean | string[] | undefined>;

/** A command's flags as one zod object, each field built by a `flag` helper of cli/flags.ts. */
export type FlagSchema = z.ZodObject;

/** What a command and its helpers receive besides the flags: the command line and the process around it, passed in (no globals). */
export interface CommandProcess {
  positionals: string[];
  /** The command line as typed (after `ledgerline`), so a refusal can show it mended. */
  argv?: readonly string[] | undefined;
  /** `--config` as given, if any. */
  configPath: string | undefined;
  /** `--entity` as given, if any: the entity whose books the command works on (config/entities.ts). */
  entity?: string | undefined;
  json: boolean;
  debug: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  /**
   * Where the command reads what the user types, asked for when it does: node builds process.stdin when first read,
   * and for a file or /dev/null that loads fs's streams and fs/promises (eight of node's own modules compiled, at
   * every start of a command that never reads it).
   */
  stdin(): Readable & { isTTY?: boolean };
  logger: Logger;
  /** Registers secret values (once the configuration is read) so that every later message is redacted. */
  addSecrets(values: readonly string[]): void;
  redact(text: string): string;
  /** Resolves when SIGINT/SIGTERM asks the process to stop after the current step. */
  stopSignal: AbortSignal;
  now(): Date;
  /** Where the configuration's and the chart's checks are kept for the next command (the CLI's own process only). */
  checkedCache?: CheckedCache | undefined;
}

/** What a command's `run` receives: the process around it and its flags, parsed and typed by its schema. */
export type CommandContext<Flags> = CommandProcess & { flags: Flags };

/**
 * What a command module exports, made with `withFlags` (cli/flags.ts), which types `run`'s flags from `flags`.
 * parseArgs and `--help` read the flags from the schema, and they are parsed by it before `run` is called.
 */
export interface Command<Schema extends FlagSchema = FlagSchema> {
  usage: string;
  flags: Schema;
  /** The words it takes after its name besides flags (`ack REF`); a command without it takes none. */
  arguments?: string;
  /** Command lines `--help` shows, each with what it does after a `#`. */
  examples: readonly string[];
  /**
   * Run once per entity when the configuration has several and no --entity names one (cli/each-entity.ts), or
   * only for the command lines this says so of (from the flags as typed): `sync --queue` hands out every entity's at once.
   */
  eachEntity?: boolean | ((flags: Readonly<Record<string, unknown>>) => boolean);
  run(context: CommandContext<z.output<Schema>>): Promise<ExitCode>;
}

/** A line of the command table: enough to list and find a command without loading it. */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}
