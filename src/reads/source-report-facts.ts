import type { SourceConfig } from '../config/index.js';
import type { StuckAfterDays } from './reconcile-report.js';

/** What the report draws of a source, as the source's kind says (a kind with neither is in the statements only). */
export interface SourceReportFacts {
  /** Orders prepaid at the source: its prepaid balance is drawn day by day, and an order open longer than `stuckAfterDays` is listed as stuck. */
  prepaidOrders?: { stuckAfterDays: number };
  /** A publisher paid once what it is owed reaches this minimum (50.00 → 50_000_000n): its receivable is drawn against it. */
  payoutMinimumMicros?: bigint;
  /**
   * The chart account its kind holds the source's money in, declared in the kind's folder: what the source's reported
   * balance is compared with (a panel's panel_prepaid), or what it owes (an ad network's payelancer_receivable).
   */
  balanceAccount?: string;
}

/** The facts of a configured source's kind. */
type SourceReportFactsOf = (source: SourceConfig) => SourceReportFacts;

/** The sources the report draws series for, and the age at which each source's open orders are stuck. */
interface SourceSeries {
  panelIds: readonly string[];
  /** Each publisher's payout minimum, by source id. */
  payoutMinimums: ReadonlyMap<string, bigint>;
  /** Each source's balance account, by source id, for the sources whose kind declares one. */
  balanceAccounts: ReadonlyMap<string, string>;
  stuckAfterDays: StuckAfterDays;
}

export function sourceSeries(sources: readonly SourceConfig[], factsOf: SourceReportFactsOf): SourceSeries {
  const facts = sources.map((source) => ({ id: source.id, ...factsOf(source) }));
  return {
    panelIds: facts.flatMap((fact) => (fact.prepaidOrders === undefined ? [] : [fact.id])),
    payoutMinimums: new Map(
      facts.flatMap((fact) =>
        fact.payoutMinimumMicros === undefined ? [] : [[fact.id, fact.payoutMinimumMicros] as const],
      ),
    ),
    balanceAccounts: new Map(
      facts.flatMap((fact) => (fact.balanceAccount === undefined ? [] : [[fact.id, fact.balanceAccount] as const])),
    ),
    stuckAfterDays: new Map(
      facts.flatMap((fact) =>
        fact.prepaidOrders === undefined ? [] : [[fact.id, fact.prepaidOrders.stuckAfterDays] as const],
      ),
    ),
  };
}
