import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SANDBOX_BANK_ACCOUNT } from '../../sandbox/index.js';

/** The folder `init --sandbox-url` wrote in `dir` without the sandbox bank's source, Xero's bank documents and QuickBooks' bank mapping. */
export function withoutSandboxBank(dir: string): void {
  const edit = (path: string, change: (text: string) => string) =>
    writeFileSync(path, change(readFileSync(path, 'utf8')));
  edit(join(dir, 'ledgerline.yaml'), (config) =>
    config
      .replace(/\n {2}- id: main-bank\n {4}kind: bank-statement\n {4}accountNumber: [^\n]*/, '')
      .replace(/^ {4}transit: \{ createBankDocuments: true, bankAccount: "090" \}[^\n]*\n/m, ''),
  );
  edit(join(dir, 'mappings', 'quickbooks.yaml'), (mappings) => mappings.replace(/^ {2}bank: [^\n]*\(sandbox\)\n/m, ''));
}

/**
 * The sandbox bank added to a world built without it: the bank account as a source, Xero's bank-side documents into
 * 090, and QuickBooks' Checking for the ledger's bank (what a month-end test imports statements into).
 */
export function withSandboxBankAccount(dir: string): void {
  const config = join(dir, 'ledgerline.yaml');
  writeFileSync(
    config,
    readFileSync(config, 'utf8')
      .replace(
        /^sources:\n/m,
        `sources:\n  - { id: main-bank, kind: bank-statement, accountNumber: ${SANDBOX_BANK_ACCOUNT} }\n`,
      )
      .replace(/^( {4}region: .*\n)/m, '$1    transit: { createBankDocuments: true, bankAccount: "090" }\n'),
  );
  appendFileSync(
    join(dir, 'mappings', 'quickbooks.yaml'),
    '  bank:                     { id: "1", name: "Checking" }\n',
  );
}
