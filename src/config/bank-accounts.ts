import type { ConfigProblem } from '../errors.js';
import type { BankTransitSettings, ConfiguredSource } from './config-kinds.js';
import { didYouMean } from './did-you-mean.js';
import type { ChartAccount } from './mappings-schema.js';

/** A configured source that is a bank account: its kind's entry names the chart's account and the transit settings. */
export type BankAccountSource = ConfiguredSource & {
  ledgerAccount: string;
  openingEquity: string;
  transit: BankTransitSettings;
};

/**
 * The bank accounts of the configuration, by what their entries hold rather than by a kind's name: a kind whose
 * statements are imported resolves its entry with `ledgerAccount` and `transit`. Example: sources a panel, the ad
 * network and `{ id: main-bank, ledgerAccount: bank, transit: {…} }` → [main-bank].
 */
export function bankAccountsOf(sources: readonly ConfiguredSource[]): BankAccountSource[] {
  return sources.filter(
    (source): source is BankAccountSource =>
      source.ledgerAccount !== undefined && source.openingEquity !== undefined && source.transit !== undefined,
  );
}

/** Each bank account of the configuration with the chart's accounts its bank legs and its opening book to: the chart must hold each (loadMappings). */
export function bankLedgerAccounts(sources: readonly ConfiguredSource[]) {
  return bankAccountsOf(sources).map((source) => ({
    sourceId: source.id,
    account: source.ledgerAccount,
    equity: source.openingEquity,
  }));
}

/** A bank-statement source, the chart's account its bank legs book to (its `ledgerAccount`) and the one its opening credits. */
export interface BankLedgerAccount {
  sourceId: string;
  account: string;
  equity?: string;
}

/** What the bank accounts are checked against: the chart's file, its accounts and every key in force. */
interface ChartHoldingBanks {
  file: string;
  accounts: Readonly<Record<string, ChartAccount>>;
  accountKeys: ReadonlySet<string>;
}

/**
 * A statement source's bank account must be an asset of the chart, as an event rule's accounts must be in it:
 * its bank legs (Dr bank / Cr payout_clearing_paypal) book to it. Example: source "operating" with ledgerAccount
 * bank_operating, a chart without it → "accounts.bank_operating is not in the chart, and …".
 */
export function bankAccountProblems(
  chart: ChartHoldingBanks,
  bankAccounts: readonly BankLedgerAccount[],
): ConfigProblem[] {
  return [
    ...sharedBankAccountProblems(chart, bankAccounts),
    ...bankAccounts.flatMap(({ sourceId, equity }) =>
      equity === undefined || chart.accountKeys.has(equity)
        ? []
        : [
            {
              file: chart.file,
              path: `accounts.${equity}`,
              message:
                `is not in the chart, and bank-statement source "${sourceId}" credits its opening balance to it ` +
                `(its openingEquity): add "${equity}: { type: equity, name: … }"${didYouMean(equity, chart.accountKeys)}`,
            },
          ],
    ),
    ...bankAccounts.flatMap(({ sourceId, account }) => {
      const found = chart.accounts[account];
      const named = `bank-statement source "${sourceId}" books its bank legs to it (its ledgerAccount)`;
      const problem = (message: string) => [{ file: chart.file, path: `accounts.${account}`, message }];
      if (!chart.accountKeys.has(account))
        return problem(
          `is not in the chart, and ${named}: add "${account}: { type: asset, name: … }"${didYouMean(account, chart.accountKeys)}`,
        );
      return found === undefined || found.type === 'asset'
        ? []
        : problem(
            `has type ${found.type}, and ${named}: make it type asset, or name an asset account as its ledgerAccount`,
          );
    }),
  ];
}

/**
 * Two bank accounts booking to one ledger account: `transit` sets each statement's closing balance beside that
 * account, which holds both accounts' money, so neither ever ties. Example: main-bank closing at 1,612.01 and
 * lloyds at 925.00, both with ledgerAccount bank (the default) → bank holds 2,537.01, "more than the bank" for each.
 */
function sharedBankAccountProblems(
  chart: ChartHoldingBanks,
  bankAccounts: readonly BankLedgerAccount[],
): ConfigProblem[] {
  const sources = new Map<string, string[]>();
  for (const { sourceId, account } of bankAccounts) sources.set(account, [...(sources.get(account) ?? []), sourceId]);
  return [...sources].flatMap(([account, ids]) => {
    const own = `bank_${ids
      .at(-1)!
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_')}`;
    const message =
      `is the ledgerAccount of bank-statement sources ${ids.map((id) => `"${id}"`).join(' and ')}: each bank account ` +
      `needs an asset of its own, which its statements' balances are set beside (in ledgerline.yaml give ` +
      `"${ids.at(-1)!}" ledgerAccount: ${own}, and add "${own}: { type: asset, name: … }" to the chart)`;
    return ids.length < 2 ? [] : [{ file: chart.file, path: `accounts.${account}`, message }];
  });
}
