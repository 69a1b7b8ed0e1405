import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Exception } from '../exception-queue.js';
import type { FleetRow } from '../fleet-view.js';
import { FLEET_SORTS, type FleetSort } from '../fleet-sorts.js';
import { fleetSection, type FleetSortLinks } from '../fleet-section.js';
import { securityHeaders } from './console-guard.js';
import { Refusal } from './console-http.js';
import { CONSOLE_STYLE } from './console-page.js';
import { queueSection } from './queue-section.js';

/** What the fleet page shows: the fleet view's rows and the exception queue across the entities, with its state. */
interface FleetPageFacts {
  rows: readonly FleetRow[];
  queue: readonly Exception[];
}

/** The console's /fleet page: the fleet view of `status --fleet`, each order of `--sort` a link (?sort=ORDER), and the exception queue. */
function fleetPage({ rows, queue }: FleetPageFacts, sorting: FleetSortLinks, nonce: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ledgerline console: fleet</title>
<style nonce="${nonce}">body { font: 15px/1.45 system-ui, sans-serif; max-width: 90rem; margin: ` +
    `1rem auto; padding: 0 1rem; } table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; ` +
    `} td, th { border-bottom: 1px solid #d8dde3; padding: 0.25rem 0.6rem; text-align: left; vertical-align: ` +
    `top; } td.num { text-align: right; } tr[data-result="failing"] .marks { color: #b3261e; font-weight: 600; }` +
    `${CONSOLE_STYLE}</style></head>
<body><nav class="console" aria-label="console"><strong>ledgerline console</strong> · <a href="/">the report</a></nav>
${fleetSection(rows, sorting)}
${queueSection(queue)}
</body></html>
`
  );
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
  const nonce = randomBytes(18).toString('base64url');
  const shown = <Item extends { entity?: string | undefined }>(items: readonly Item[]) =>
    entity === undefined ? items : items.filter((item) => item.entity === entity);
  const page = fleetPage({ rows: shown(rows), queue: shown(queue) }, { current: sort, href }, nonce);
  response.writeHead(200, { ...securityHeaders(nonce), 'content-type': 'text/html; charset=utf-8' });
  response.end(page);
}
