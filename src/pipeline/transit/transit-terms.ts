import { bankAccountsOf, type Config, type SourceConfig } from '../../config/index.js';
import type { TransitTerms } from '../../rules/index.js';

const DEFAULT_TERMS = { alertDays: 5, windowDays: 10, toleranceMicros: 25_000_000n };

/**
 * The terms the bank accounts' `transit:` settings give: the first account's window and tolerance, every
 * account's per-source alert days and bank words (the first to name a source wins; a source none names keeps its
 * kind's words), the defaults when no account is configured. Example: `match: { ads-publisher: "PAYPAL" }` →
 * ads-publisher's lines are recognised by /PAYPAL/i; smm-panel (a panel at panel.example.com) by its kind's
 * /SMMPANEL|panel\.example\.com/i.
 */
export function transitTerms(config: Pick<Config, 'sources' | 'vocabularies' | 'chartEvents'>): TransitTerms {
  const { sources } = config;
  const accounts = bankAccountsOf(sources);
  const first = accounts[0]?.transit ?? DEFAULT_TERMS;
  const bySource = new Map<string, number>();
  const words = new Map<string, RegExp>();
  for (const source of sources)
    if (source.bankWords !== undefined) words.set(source.id, new RegExp(source.bankWords, 'i'));
  for (const account of accounts.toReversed()) {
    for (const [sourceId, days] of Object.entries(account.transit.alertDaysBySource)) bySource.set(sourceId, days);
    for (const [sourceId, written] of Object.entries(account.transit.match))
      words.set(sourceId, new RegExp(written, 'i'));
  }
  return {
    alertDays: (sourceId) => bySource.get(sourceId) ?? first.alertDays,
    windowDays: first.windowDays,
    toleranceMicros: first.toleranceMicros,
    bankWords: (sourceId) => words.get(sourceId),
    eventKinds: transitEventKinds(config),
  };
}

/**
 * The event kinds whose money goes to or from the bank: those the registered kinds book by the chart file's rules and
 * mark in transit (the ad network's payouts, the panel's top-ups), and each event kind a configured source kind's
 * vocabulary marks `transit: payout` or `transit: topup` (a plug-in's payouts are followed as the ad network's are).
 * Example: a kind declaring `tipjar_payout: { …, transit: payout }` → tipjar_payout is a payout.
 */
function transitEventKinds(
  config: Pick<Config, 'vocabularies' | 'chartEvents'>,
): ReadonlyMap<string, 'payout' | 'topup'> {
  const kinds = new Map(Object.entries(config.chartEvents.inTransit));
  for (const vocabulary of config.vocabularies)
    for (const [kind, rule] of Object.entries(vocabulary.events))
      if (rule.transit !== undefined) kinds.set(kind, rule.transit);
  return kinds;
}

/**
 * Whether anything can tell where this ledger's payouts and top-ups went: a bank account whose statements are
 * imported, or a destination that creates their bank-side documents. Without either every payout could only age
 * into "late", so status and reconcile say nothing of money in transit. Example: the ad network and Xero with no
 * `transit:` settings → false; add a `kind: bank-statement` source → true; or Xero with
 * `transit.createBankDocuments: true` (the command passes ["xero"]) → true.
 */
export function followsMoneyInTransit(
  sources: readonly SourceConfig[],
  destinationsCreatingBankDocuments: readonly string[],
): boolean {
  return bankAccountsOf(sources).length > 0 || destinationsCreatingBankDocuments.length > 0;
}
