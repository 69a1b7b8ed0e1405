import { chmodSync, copyFileSync, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { TOKEN_STORE_FILE_NAME, type Config } from '../config/index.js';

/** What became of the token store in a move, and the line that says so. */
export interface CarriedTokenStore {
  from: string;
  to: string;
  moved: boolean;
  said: string;
}

/**
 * The token store goes with the ledger. Unless the configuration names it (then it stays where it says),
 * it lives beside a SQLite ledger and beside the configuration for a PostgreSQL one: once "ledger:" is the
 * URL, commands would look for it there and find every destination "not connected". So `migrate --to` moves
 * it there (mode 0600 kept) and says so; a file already there is never overwritten.
 */
export function carryTokenStore(config: Config): CarriedTokenStore | undefined {
  if (namesTokenStore(config.file)) return undefined;
  const from = config.tokenStore;
  const to = join(dirname(config.file), TOKEN_STORE_FILE_NAME);
  if (from === to || !existsSync(from)) return undefined;
  if (existsSync(to)) {
    return { from, to, moved: false, said: `the token store stays at ${from}: ${to} already exists; set "tokenStore: ${from}" in ${config.file} (or keep the one there) before using the PostgreSQL ledger` };
  }
  moveFile(from, to);
  return { from, to, moved: true, said: `moved the token store ${from} to ${to}, where the configuration reads it with a PostgreSQL ledger: every connection is kept` };
}

function namesTokenStore(configFile: string): boolean {
  const document: unknown = parse(readFileSync(configFile, 'utf8'));
  return typeof document === 'object' && document !== null && Object.hasOwn(document, 'tokenStore');
}

function moveFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    // Another file system: copy, keep it private, then remove the original.
    copyFileSync(from, to);
    chmodSync(to, 0o600);
    rmSync(from);
  }
}
