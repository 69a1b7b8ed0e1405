import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exampleConfigText } from '../src/config/index.js';
import { createDestinationFakes, SANDBOX_ENVIRONMENT, type DestinationChart } from './destination-fakes.js';
import { fleetSourcesCsv, startFleet, type FleetOptions } from './fleet.js';

/** What `sandbox --panels N --publishers M` asks of the fleet, and where its files go. */
export interface FleetRequest extends Omit<FleetOptions, 'leadMounts'> {
  readonly chart: DestinationChart;
  /** Where sources.csv (and ledgerline.yaml, when there is none yet) are written. */
  readonly dir: string;
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
  writeFileSync(join(request.dir, 'sources.csv'), fleetSourcesCsv(fleet.sources));
  const configFile = join(request.dir, 'ledgerline.yaml');
  const configWritten = !existsSync(configFile);
  if (configWritten) writeFileSync(configFile, fleetConfigText(fleet.lead.baseUrl));
  const odd = fleet.sources.filter((source) => source.role !== 'steady');
  const lines = [
    `ledgerline sandbox: a fleet of ${request.panels} panels and ${request.publishers} publisher accounts, on ${fleet.members.length} ports from ${fleet.lead.baseUrl} (first day ${fleet.lead.world.start}, today ${fleet.lead.today()})`,
    `  Xero and QuickBooks fakes, and the fleet's day, at ${fleet.lead.baseUrl} (advance it: POST ${fleet.lead.adminUrl}/day {"advance": 1})`,
    `  not steady: ${odd.map((source) => `${source.id} ${source.role}`).join(', ') || 'none'}`,
    `  ${join(request.dir, 'sources.csv')} written${configWritten ? `, and ${configFile} reading it` : `; ${configFile} kept as it was`}`,
    '',
    'Its ledgerline.yaml talks to this fleet with:',
    ...Object.entries(SANDBOX_ENVIRONMENT).map(([name, value]) => `  export ${name}=${value}`),
    '',
    'Stop with Ctrl-C.',
    '',
  ];
  return { fleet, banner: lines.join('\n') };
}

/** The example configuration with its sources taken from the fleet's sources.csv. */
function fleetConfigText(origin: string): string {
  const fleetSources = 'sources: { file: sources.csv }   # one row per panel and publisher account\n\n';
  return exampleConfigText(origin).replace(/^sources:\n(?: {2}.*\n)*\n/m, fleetSources);
}
