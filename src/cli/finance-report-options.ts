import { loadMappings, type Config } from '../config/index.js';
import { dateIn, yesterdayIn } from '../pipeline/calendar.js';
import type { FinanceReportOptions } from '../pipeline/finance-report/index.js';

/** What `report` and `serve` read from the configuration to build the one report read model, for a window. */
export function financeReportOptions(config: Config, window: { from: string | undefined; to: string | undefined }, now: Date): FinanceReportOptions {
  return {
    from: window.from,
    to: window.to,
    emptyLedgerDay: yesterdayIn(config.timezone, now),
    today: dateIn(config.timezone, now),
    chart: loadMappings({ chartPath: config.mappings, destinations: [] }).chart,
    panelIds: config.sources.flatMap((source) => (source.kind === 'panel' ? [source.id] : [])),
    payoutMinimums: new Map(config.sources.flatMap((source) => (source.kind === 'payelancer' ? [[source.id, source.payouts.minimumMicros] as const] : []))),
    destinations: Object.entries(config.destinations).flatMap(([name, destination]) => (destination === undefined ? [] : [name])),
    stuckAfterDays: new Map(config.sources.flatMap((source) => (source.kind === 'panel' ? [[source.id, source.stuckAfterDays] as const] : []))),
  };
}
