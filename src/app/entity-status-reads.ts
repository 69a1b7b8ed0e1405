import type { Config } from '../config/index.js';
import { fleetView, type FLEET_SORTS } from '../reads/index.js';
import { prometheusText } from '../pipeline/status/index.js';
import type { CommandProcess } from '../cli/command.js';
import { loadEachEntityConfigFor } from '../cli/load.js';
import {
  entityFigures,
  exceptionsOf,
  type EntityStatus,
  type Exception,
  type FleetFacts,
} from './entity-statuses.js';
import { readStatusFacts, type StatusRead } from './status-facts-read.js';

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
 * `ledgerline metrics` and `serve`'s /metrics alike: each entity's status facts read now (the configuration's books
 * when it has no entities:), as one Prometheus text: one scrape sees the whole practice.
 */
export async function metricsText(context: CommandProcess, configs: readonly Config[]): Promise<string> {
  const statuses = await readEntityStatuses(context, configs);
  return prometheusText(statuses.map(entityFigures), context.now());
}
