import type { ServerResponse } from 'node:http';
import type { Exception } from '../exception-queue.js';
import type { FleetRow } from '../fleet-view.js';
import { FLEET_SORTS, type FleetSort } from '../fleet-sorts.js';
import { fleetSection, type FleetSortLinks } from '../fleet-section.js';
import { answerHtml, Refusal } from './console-http.js';
import { consoleDocument } from './console-page.js';
import { queueSection } from './queue-section.js';

/** What the fleet page shows: the fleet view's rows and the exception queue across the entities, with its state. */
interface FleetPageFacts {
  rows: readonly FleetRow[];
  queue: readonly Exception[];
}

/** The console's /fleet page: the fleet view of `status --fleet`, each order of `--sort` a link (?sort=ORDER), and the exception queue. */
function fleetPage({ rows, queue }: FleetPageFacts, sorting: FleetSortLinks): (nonce: string) => string {
  return consoleDocument({
    title: 'fleet',
    maxWidthRem: 90,
    style:
      ' vertical-align: top; } td.num { text-align: right; } tr[data-result="failing"] .marks { color: #b3261e; ' +
      'font-weight: 600; }',
    body: `${fleetSection(rows, sorting)}\n${queueSection(queue)}\n`,
  });
}

/**
 * GET /fleet?sort=ORDER[&entity=NAME]: every entity's sources and exception queue (the practice's fleet, whichever
 * entity the console serves), or one entity's, in the order asked (need, the default, when none is); an unknown order or entity is
 * refused, naming the ones there are.
 */
export async function answerFleet(
  read: (sort: FleetSort) => Promise<FleetPageFacts>,
  url: URL,
  response: ServerResponse,
): Promise<void> {
  const asked = url.searchParams.get('sort') ?? 'need';
  const sort = FLEET_SORTS.find((each) => each === asked);
  if (sort === undefined)
    throw new Refusal(400, `sort=${asked.slice(0, 40)} is not an order of the fleet: one of ${FLEET_SORTS.join(', ')}`);
  const { rows, queue } = await read(sort);
  const entity = url.searchParams.get('entity') ?? undefined;
  const entities = [...new Set(rows.flatMap((row) => (row.entity === undefined ? [] : [row.entity])))];
  if (entity !== undefined && !entities.includes(entity))
    throw new Refusal(
      400,
      `entity=${entity.slice(0, 40)} is not an entity of the fleet: one of ${entities.join(', ')}`,
    );
  const href = (each: FleetSort) =>
    `/fleet?sort=${each}${entity === undefined ? '' : `&entity=${encodeURIComponent(entity)}`}`;
  const shown = <Item extends { entity?: string | undefined }>(items: readonly Item[]) =>
    entity === undefined ? items : items.filter((item) => item.entity === entity);
  answerHtml(response, fleetPage({ rows: shown(rows), queue: shown(queue) }, { current: sort, href }));
}
