import type { Config } from '../config/index.js';
import type { z } from 'zod';
import { exceptionQueue, fleetView, type ExceptionQueueSchema, type FLEET_SORTS } from '../reads/index.js';
import { prometheusText, type EntityFigures } from '../pipeline/status/index.js';
import type { CommandProcess } from './command.js';
import { loadEachEntityConfigFor } from './load.js';
import { bookedMappingGaps } from '../app/mapping-gaps.js';
import { readStatusFacts, type StatusFacts, type StatusRead } from './status-facts.js';

type Exception = z.infer<typeof ExceptionQueueSchema>[number];
type FleetFacts = Extract<Parameters<typeof fleetView>[0], { sources: unknown }>;

/** One entity's status facts (the configuration's books when it has no entities:), as the fleet view and the queue read them. */
export interface EntityStatus {
  config: Config;
  report: StatusFacts;
  fleet: FleetFacts;
  today: string;
  openItems: Awaited<ReturnType<typeof readStatusFacts>>['openItems'];
  /** People's words on this entity's queue items, kept in its own ledger (migration 0037). */
  words: Awaited<ReturnType<typeof readStatusFacts>>['words'];
  /** Each command's latest run and latest successful one, however many runs came since: what `metrics` reports. */
  latestRuns: Awaited<ReturnType<typeof readStatusFacts>>['latestRuns'];
}

/** Each entity's status facts, read once: `status --fleet`, `status --exceptions` and the digest share them. */
export async function readEntityStatuses(
  context: CommandProcess,
  configs: readonly Config[],
  read: StatusRead = {},
): Promise<EntityStatus[]> {
  const statuses: EntityStatus[] = [];
  for (const config of configs) {
    const {
      facts: report,
      yesterday,
      today,
      openItems,
      words,
      latestRuns,
    } = await readStatusFacts(context, config, read);
    const fleet: FleetFacts = {
      ...report,
      entity: config.entity,
      sources: config.sources,
      yesterday,
      transit: report.moneyInTransit,
      destinations: Object.keys(config.destinations),
    };
    statuses.push({ config, report, fleet, today, openItems, words, latestRuns });
  }
  return statuses;
}

/**
 * The fleet view of every entity the command is for (the one --entity names, else each), in `sort`'s order: what
 * `status --fleet` prints and the report and the console show, from one read.
 */
export async function readFleet(
  context: CommandProcess,
  sort?: (typeof FLEET_SORTS)[number],
): Promise<{ statuses: EntityStatus[]; rows: ReturnType<typeof fleetView> }> {
  return readFleetOf(context, loadEachEntityConfigFor(context), sort);
}

/** The console's fleet page: the fleet view and the exception queue with its state, of every entity, from one read. */
export async function readFleetPage(
  context: CommandProcess,
  sort: (typeof FLEET_SORTS)[number],
): Promise<{ rows: ReturnType<typeof fleetView>; queue: Exception[] }> {
  const { statuses, rows } = await readFleet(context, sort);
  return { rows, queue: exceptionsOf(statuses) };
}

/** The fleet view of `configs` (each entity's configuration, already loaded), in `sort`'s order; `read` as readStatusFacts takes it. */
export async function readFleetOf(
  context: CommandProcess,
  configs: readonly Config[],
  sort?: (typeof FLEET_SORTS)[number],
  read: StatusRead = {},
): Promise<{ statuses: EntityStatus[]; rows: ReturnType<typeof fleetView> }> {
  const statuses = await readEntityStatuses(context, configs, read);
  return {
    statuses,
    rows: fleetView(
      statuses.map((status) => status.fleet),
      sort,
    ),
  };
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

/**
 * `ledgerline metrics` and `serve`'s /metrics alike: each entity's status facts read now (the configuration's books
 * when it has no entities:), as one Prometheus text: one scrape sees the whole practice.
 */
export async function metricsText(context: CommandProcess, configs: readonly Config[]): Promise<string> {
  const statuses = await readEntityStatuses(context, configs);
  return prometheusText(statuses.map(entityFigures), context.now());
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
