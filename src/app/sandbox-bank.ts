/** The sandbox bank's account number, as its statements write it (sandbox/bank/world-bank.ts; a test holds the two together). */
export const SANDBOX_BANK_ACCOUNT_NUMBER = 'GB33BUKB20201555555555';

/**
 * What `init --sandbox-url` adds for the sandbox's bank, as the demo's month-end uses it: the bank account as a
 * source of kind bank-statement (the last under sources:, `bank import --account main-bank`), and Xero's bank legs as
 * bank transactions on its bank account 090, so `adjust … --credit bank=9.00` and `transit` reach the bank.
 */
export function withSandboxBank(config: string): string {
  return config
    .replace(
      /\n\npayouts:/,
      `\n  - id: main-bank\n    kind: bank-statement\n    accountNumber: ${SANDBOX_BANK_ACCOUNT_NUMBER}   # the sandbox bank's account\n\npayouts:`,
    )
    .replace(
      /^( {4}region: .*\n)/m,
      '$1    transit: { createBankDocuments: true, bankAccount: "090" }   # bank legs as bank transactions on 090\n',
    );
}

/** The line `init --sandbox-url` adds to mappings/quickbooks.yaml: the ledger's bank is the sandbox company's Checking. */
export const SANDBOX_QUICKBOOKS_BANK_MAPPING =
  '  bank:                     { id: "1", name: "Checking" }   # the ledger\'s bank account (sandbox)\n';
