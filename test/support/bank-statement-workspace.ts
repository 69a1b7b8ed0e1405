import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runLedgerline } from './cli.js';
import { readStatement, type BankStatementSourceConfig } from '../../src/kinds/bank-statement/index.js';
import type { BankLine } from '../../src/rules/index.js';

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

/** `text` written to `path` and read as a statement of a EUR account, `main-bank`: every line, and the file's facts. */
export async function readStatementText(path: string, text: string) {
  writeFileSync(path, text);
  const statement = await readStatement(path, { id: 'main-bank', currency: 'EUR' } as BankStatementSourceConfig);
  const lines: BankLine[] = [];
  for await (const batch of statement.lines) lines.push(...batch);
  return { lines, facts: statement.facts };
}
