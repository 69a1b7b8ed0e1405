import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exampleConfigText } from '../src/config/index.js';
import { createDestinationFakes, SANDBOX_ENVIRONMENT, type DestinationChart } from './destination-fakes.js';
import { fleetSourcesCsv, startFleet, type FleetOptions, type FleetSource } from './fleet.js';

/** What `sandbox --panels N --publishers M` asks of the fleet, and where its files go. */
export interface FleetRequest extends Omit<FleetOptions, 'leadMounts'> {
  readonly chart: DestinationChart;
  /** Where sources.csv (and ledgerline.yaml, when there is none yet) are written. */
  readonly dir: string;
  /**
   * Book the fleet into the two entities `north` and `south` (SANDBOX_ENTITIES), each posting to its own
   * organisation of each fake: the configuration gets `entities:` and sources.csv an entity column. What the
   * `sandbox` command does; false (one ledger, as before) unless given.
   */
  readonly twoEntities?: boolean;
}

/** The fleet sandbox's entities: `north` books into each fake's first organisation, `south` into its second. */
export const SANDBOX_ENTITIES = ['north', 'south'] as const;

/** Odd-numbered sources of each kind (panel-01, panel-03, publisher-01, …) are north's, even-numbered ones south's. */
export function sandboxEntityOf(source: Pick<FleetSource, 'id'>): (typeof SANDBOX_ENTITIES)[number] {
  return Number(/(\d+)$/.exec(source.id)?.[1] ?? '1') % 2 === 1 ? 'north' : 'south';
}

/**
 * `ledgerline sandbox --panels N --publishers M`: the fleet started, its sources.csv written (every time: the
 * ports are the fleet's), and a ledgerline.yaml reading it where the folder has none. Returns the fleet and the
 * lines that tell where everything is.
 */
export async function startSandboxFleet(request: FleetRequest) {
  const fakes = createDestinationFakes(undefined, request.chart);
  const fleet = await startFleet({ ...request, leadMounts: [fakes.xero, fakes.quickbooks] });
  mkdirSync(request.dir, { recursive: true });
  const entities = request.twoEntities === true;
  writeFileSync(
    join(request.dir, 'sources.csv'),
    fleetSourcesCsv(fleet.sources, entities ? sandboxEntityOf : undefined),
  );
  const configFile = join(request.dir, 'ledgerline.yaml');
  const configWritten = !existsSync(configFile);
  if (configWritten) writeFileSync(configFile, fleetConfigText(fleet.lead.baseUrl, entities));
  const odd = fleet.sources.filter((source) => source.role !== 'steady');
  const lines = [
    `ledgerline sandbox: a fleet of ${request.panels} panels and ${request.publishers} publisher accounts, on ${fleet.members.length} ports from ${fleet.lead.baseUrl} (first day ${fleet.lead.world.start}, today ${fleet.lead.today()})`,
    `  Xero and QuickBooks fakes, and the fleet's day, at ${fleet.lead.baseUrl} (advance it: POST ${fleet.lead.adminUrl}/day {"advance": 1})`,
    `  not steady: ${odd.map((source) => `${source.id} ${source.role}`).join(', ') || 'none'}`,
    ...(entities
      ? [
          "  two entities: north (odd-numbered sources) posts to each fake's first organisation, south (even-numbered) to its second",
        ]
      : []),
    `  ${join(request.dir, 'sources.csv')} written${configWritten ? `, and ${configFile} reading it` : `; ${configFile} kept as it was`}`,
    '',
    'Its ledgerline.yaml talks to this fleet with:',
    ...Object.entries(SANDBOX_ENVIRONMENT).map(([name, value]) => `  export ${name}=${value}`),
    '',
    'Stop with Ctrl-C.',
    '',
  ];
  return { fleet, fakes, banner: lines.join('\n') };
}

/**
 * The example configuration with its sources taken from the fleet's sources.csv; with entities, `ledger:` becomes
 * the two entities, each with its ledger, its organisation of each fake, and its own grant (the refresh token its
 * token store starts from).
 */
export function fleetConfigText(origin: string, entities: boolean): string {
  const fleetSources = 'sources: { file: sources.csv }   # one row per panel and publisher account\n\n';
  const text = exampleConfigText(origin).replace(/^sources:\n(?: {2}.*\n)*\n/m, fleetSources);
  return entities ? text.replace(/^ledger: .*$/m, ENTITIES_SECTION) : text;
}

const ENTITIES_SECTION = `entities:                               # each its own ledger, token store and organisations
  north:
    ledger: ./north/ledger.sqlite
    xero:
      tenantId: \${XERO_TENANT_ID}
      refreshToken: \${XERO_NORTH_REFRESH_TOKEN}
  south:
    ledger: ./south/ledger.sqlite
    xero:
      tenantId: \${XERO_SOUTH_TENANT_ID}
      refreshToken: \${XERO_SOUTH_REFRESH_TOKEN}
    quickbooks:
      realmId: \${QBO_SOUTH_REALM_ID}
      refreshToken: \${QBO_SOUTH_REFRESH_TOKEN}`;
