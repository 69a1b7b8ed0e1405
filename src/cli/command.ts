import type { Readable, Writable } from 'node:stream';
import type { z } from 'zod';
import type { AppProcess } from '../app/app-process.js';
import type { ConfigProcess } from '../app/configured-books.js';
import type { LedgerMode } from '../app/ledger-mode.js';
import type { ExitCode } from '../errors.js';

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

/**
 * What a command and its helpers receive besides the flags: the command line and the process around it, passed in
 * (no globals). What the composition root reads of it is declared there: its environment, logger, redaction, clock
 * and stop signal (AppProcess), where it was started and its `--config` and `--entity` (ConfigProcess).
 */
export interface CommandProcess extends AppProcess, ConfigProcess {
  positionals: string[];
  /** The command line as typed (after `ledgerline`), so a refusal can show it mended. */
  argv?: readonly string[] | undefined;
  json: boolean;
  debug: boolean;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  /**
   * Where the command reads what the user types, asked for when it does: node builds process.stdin when first read,
   * and for a file or /dev/null that loads fs's streams and fs/promises (eight of node's own modules compiled, at
   * every start of a command that never reads it).
   */
  stdin(): Readable & { isTTY?: boolean };
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
  /** How it opens the ledger (app/ledger-mode.ts), or `none`: it never does (it is handed `read-only`, the least). */
  ledger: LedgerMode | 'none';
  load(): Promise<Command>;
}
