import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runLedgerline } from './cli.js';

/** A configuration with one bank account, `operating`, whose CSV statements use the sandbox bank's columns. */
export const BANK_STATEMENT_CONFIG = [
  'ledger: data/ledger.sqlite',
  'timezone: UTC',
  'currency: USD',
  'sources:',
  '  - id: operating',
  '    kind: bank-statement',
  '    csv: { date: Date, amount: Amount, currency: Currency, reference: Reference, description: Details, id: Id }',
  '',
].join('\n');

/** `dir` with a copy of `ledger`, BANK_STATEMENT_CONFIG and the statement `file` imported into `operating`. */
export async function bankStatementWorkspace(dir: string, ledger: string, file: string, text: string): Promise<string> {
  mkdirSync(join(dir, 'data'));
  copyFileSync(ledger, join(dir, 'data', 'ledger.sqlite'));
  writeFileSync(join(dir, 'ledgerline.yaml'), BANK_STATEMENT_CONFIG);
  writeFileSync(join(dir, file), text);
  const imported = await runLedgerline(['bank', 'import', file, '--account', 'operating'], { cwd: dir });
  expect(imported.code, imported.stderr).toBe(0);
  return dir;
}
