import type { z } from 'zod';
import type { Config } from '../config/index.js';
import { exceptionQueue, fleetView, type ExceptionQueueSchema } from '../reads/index.js';
import type { EntityFigures, StatusFacts, statusFacts } from '../pipeline/status/index.js';
import { bookedMappingGaps } from './booked-mapping-gaps.js';

/** What the status facts' read gives besides the facts: reconcile's open items, people's words, the latest runs. */
type StatusFactsRead = Awaited<ReturnType<typeof statusFacts>>;
export type Exception = z.infer<typeof ExceptionQueueSchema>[number];
export type FleetFacts = Extract<Parameters<typeof fleetView>[0], { sources: unknown }>;

/** One entity's status facts (the configuration's books when it has no entities:), as the fleet view and the queue read them. */
export interface EntityStatus {
  config: Config;
  report: StatusFacts;
  fleet: FleetFacts;
  today: string;
  openItems: StatusFactsRead['openItems'];
  /** People's words on this entity's queue items, kept in its own ledger (migration 0037). */
  words: StatusFactsRead['words'];
  /** Each command's latest run and latest successful one, however many runs came since: what `metrics` reports. */
  latestRuns: StatusFactsRead['latestRuns'];
}

/**
 * The practice's exception queue: everything needing a person across the entities, oldest first, from the facts
 * `status` read (the fleet rows, the silence finding, money in transit, reconcile's open items, the tokens) and
 * the accounts the latest sync booked that a destination's mapping file does not name.
 */
export function exceptionsOf(statuses: readonly EntityStatus[]): Exception[] {
  return exceptionQueue(
    statuses.map(({ config, report, fleet, openItems, words }) => ({
      entity: config.entity,
      rows: fleetView(fleet),
      parked: report.parked,
      quiet: report.quiet,
      lastSyncDay: report.lastSync?.asOf ?? report.lastSync?.startedAt.slice(0, 10) ?? null,
      failingSince: report.failingSince,
      transit: report.moneyInTransit?.items,
      // What the latest sync warned of: the accounts it booked that a destination's mapping file does not name.
      mappingGaps: bookedMappingGaps(config, { summary: { sources: report.lastSync?.sources ?? [] } }),
      connections: report.connections,
      tokens: 'error' in report.tokens ? [] : report.tokens,
      tokenExpiryDays: config.alerts.tokenExpiryDays,
      openItems,
      words,
    })),
  );
}

/** One entity's figures for `metrics`, from its status facts read once. */
export function entityFigures(status: EntityStatus): EntityFigures {
  return {
    entity: status.config.entity,
    facts: status.report,
    rows: fleetView(status.fleet),
    yesterday: status.fleet.yesterday,
    latestRuns: status.latestRuns,
  };
}
