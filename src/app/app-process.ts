import type { Writable } from 'node:stream';
import type { Clock } from '../http/index.js';
import type { Logger } from '../log/index.js';
import type { LedgerAccess } from './ledger-mode.js';

/**
 * What the composition root's wiring takes of the process around a command, passed in (no globals): its
 * environment, its stderr, its logger and redaction, its clock, how it opens the ledger. A command's process (`CommandProcess`,
 * cli/command.ts) is one, so a command hands over its own.
 */
export interface AppProcess {
  env: NodeJS.ProcessEnv;
  stderr: Writable;
  logger: Logger;
  /** Registers secret values (a client's tokens once read) so that every later message is redacted. */
  addSecrets(values: readonly string[]): void;
  redact(text: string): string;
  now(): Date;
  /** The process's one clock: what every retry's backoff, throttle and poll sleeps on, and times its calls by. */
  clock: Clock;
  /** How the command opens the ledger: its table entry's mode (ledger-mode.ts), under its name. */
  ledger: LedgerAccess;
  /** Aborted when SIGINT/SIGTERM asks the process to stop after the current step. */
  stopSignal: AbortSignal;
}
