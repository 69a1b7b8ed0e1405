import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
