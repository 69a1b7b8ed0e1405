import type { Config } from '../config/index.js';
import { fleetView, type FLEET_SORTS } from '../reads/index.js';
import { prometheusText } from '../pipeline/status/index.js';
import { destinationKinds } from '../pipeline/kinds/index.js';
import { entityFigures, exceptionsOf, type EntityStatus, type Exception, type FleetFacts } from './entity-statuses.js';
import { readStatusFacts, type StatusReader, type StatusRead } from './status-facts-read.js';

/** Each entity's status facts, read once: `status --fleet`, `status --exceptions` and the digest share them. */
export async function readEntityStatuses(
  reader: StatusReader,
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
      sourceParts,
    } = await readStatusFacts(reader, config, read);
    const fleet: FleetFacts = {
      ...report,
      // Each source's last result from its part of the latest sync that took it, not from the latest run alone.
      lastSync: { sources: sourceParts },
      entity: config.entity,
      sources: config.sources,
      yesterday,
      transit: report.moneyInTransit,
      destinations: destinationKinds.delivering(config),
    };
    statuses.push({ config, report, fleet, today, openItems, words, latestRuns });
  }
  return statuses;
}

/** The console's fleet page: the fleet view and the exception queue with its state, of every entity, from one read. */
export async function readFleetPage(
  reader: StatusReader,
  configs: readonly Config[],
  sort: (typeof FLEET_SORTS)[number],
): Promise<{ rows: ReturnType<typeof fleetView>; queue: Exception[] }> {
  const { statuses, rows } = await readFleetOf(reader, configs, sort);
  return { rows, queue: exceptionsOf(statuses) };
}

/**
 * The fleet view of `configs` (each entity's configuration, already loaded), in `sort`'s order: what `status
 * --fleet` prints and the report and the console show, from one read; `read` as readStatusFacts takes it.
 */
export async function readFleetOf(
  reader: StatusReader,
  configs: readonly Config[],
  sort?: (typeof FLEET_SORTS)[number],
  read: StatusRead = {},
): Promise<{ statuses: EntityStatus[]; rows: ReturnType<typeof fleetView> }> {
  const statuses = await readEntityStatuses(reader, configs, read);
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
export async function metricsText(reader: StatusReader, configs: readonly Config[]): Promise<string> {
  const statuses = await readEntityStatuses(reader, configs);
  return prometheusText(statuses.map(entityFigures), reader.now());
}
