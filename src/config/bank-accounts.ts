import type { BankTransitSettings, ConfiguredSource } from './config-kinds.js';

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
