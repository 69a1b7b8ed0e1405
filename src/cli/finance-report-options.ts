import { loadMappings, type Config } from '../config/index.js';
import type { BooksDays } from './calendar.js';
import { sourceKinds } from '../pipeline/kinds/index.js';
import { sourceSeries, type FinanceReportOptions } from '../pipeline/reports/index.js';

/** What `report` and `serve` read from the configuration to build the one report read model, for a window, dated by the books' days (the sandbox's on a sandbox ledger). */
export function financeReportOptions(config: Config, window: { from: string | undefined; to: string | undefined }, days: BooksDays): FinanceReportOptions {
  return {
    from: window.from,
    to: window.to,
    emptyLedgerDay: days.yesterday,
    today: days.today,
    chart: loadMappings({ chartPath: config.mappings, destinations: [] }).chart,
    ...sourceSeries(config.sources, sourceKinds.reportFacts),
    destinations: Object.entries(config.destinations).flatMap(([name, destination]) => (destination === undefined ? [] : [name])),
  };
}
