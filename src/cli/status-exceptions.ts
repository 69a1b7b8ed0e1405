import type { Config } from '../config/index.js';
import type { z } from 'zod';
import { exceptionQueue, fleetView, type ExceptionQueueSchema, type FLEET_SORTS } from '../reads/index.js';
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

/** Which items `status --exceptions` lists: by kind, by whose they are, open or acknowledged ones only. */
export interface QueueFilter {
  kind?: string | undefined;
  assignee?: string | undefined;
  state?: Exception['state'] | undefined;
}

export function filteredQueue(exceptions: readonly Exception[], filter: QueueFilter): Exception[] {
  return exceptions.filter(
    (exception) =>
      (filter.kind === undefined || exception.kind === filter.kind) &&
      (filter.assignee === undefined || exception.assignee?.name === filter.assignee) &&
      (filter.state === undefined || exception.state === filter.state),
  );
}

/**
 * The queue as lines: "2026-03-03  north  silent: panel-02: … → next: … → run: … → id: x-… open"; the entity column
 * only with entities:. What a person said on an item follows its id: acknowledged (by whom, when), whose it is, notes.
 */
export function renderExceptions(exceptions: readonly Exception[]): string {
  if (exceptions.length === 0) return 'nothing needs a person: every source is booked, nothing is open\n';
  const lines = exceptions.map(
    (exception) =>
      `${exception.since ?? 'undated   '}  ${exception.entity === undefined ? '' : `${exception.entity}  `}` +
      `${exception.kind}: ${exception.subject}: ${exception.what}\n            next: ${exception.nextStep}` +
      // With entities:, the command for the item's entity; without, the next step quotes it as it runs.
      (exception.command === null || exception.entity === undefined ? '' : `\n            run:  ${exception.command}`) +
      `\n            id:   ${exception.id}  ${stateText(exception)}` +
      exception.notes.map((note) => `\n            note: ${note.text} (${note.by}, ${note.at})`).join(''),
  );
  const open = exceptions.filter((exception) => exception.state === 'open').length;
  const acknowledged = exceptions.length - open;
  return (
    `${lines.join('\n')}\n\n${open} thing${open === 1 ? '' : 's'} need${open === 1 ? 's' : ''} a person, the oldest first` +
    `${acknowledged === 0 ? '' : `; ${acknowledged} acknowledged`}\n`
  );
}

/** "open", "acknowledged by ana at …", "open again: its facts changed since ana acknowledged it", and whose it is. */
function stateText(exception: Exception): string {
  const ack = exception.acknowledged;
  const said =
    ack === null
      ? 'open'
      : exception.state === 'acknowledged'
        ? `acknowledged by ${ack.by} at ${ack.at}`
        : `open again: its facts changed since ${ack.by} acknowledged it at ${ack.at}`;
  return exception.assignee === null ? said : `${said}; assigned to ${exception.assignee.name}`;
}
