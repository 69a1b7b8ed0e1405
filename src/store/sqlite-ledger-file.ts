import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { EnvironmentError, LedgerFileError } from '../errors.js';

/* The SQLite ledger's file as the user's system sees it: checked before SQLite opens it. */

/** A ledger path that is a folder, or whose folder cannot be made, is named before SQLite says "cannot open". */
export function checkLedgerPath(path: string): void {
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new LedgerFileError(
      `the ledger path ${path} is a folder; set "ledger" to a file path such as ${path.replace(/\/+$/, '')}/ledger.sqlite`,
    );
  }
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw new EnvironmentError(
      `cannot create the ledger's folder ${dirname(path)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
}

/** Whether this user may write the ledger and its folder (SQLite writes a journal beside the file). */
export function mayWrite(path: string): boolean {
  try {
    accessSync(dirname(path), constants.W_OK);
    if (existsSync(path)) accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
