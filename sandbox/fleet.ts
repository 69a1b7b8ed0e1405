import { addDays } from '../src/calendar/index.js';
import type { SandboxMount } from './mount.js';
import { DEFAULT_SEED, DEFAULT_START_DATE, startSandbox, type RunningSandbox } from './sandbox-server.js';

/**
 * `ledgerline sandbox --panels 30 --publishers 10`: a fleet of accounts, each member a sandbox of its own world
 * (seed + its place) on a port of its own, keeping the day of the first (the lead, which also serves the
 * destination fakes). Deterministic for a seed: every fifth member answers slowly, the last panel fails with
 * 502s, the one before it is silent (it answers, with nothing new from its world's third day on).
 */
export interface FleetOptions {
  readonly panels: number;
  readonly publishers: number;
  readonly seed?: number | undefined;
  readonly startDate?: string | undefined;
  readonly today?: string | undefined;
  /** The lead's port; member i listens on port + i (0: every member takes a free port). */
  readonly port: number;
  readonly leadMounts: readonly SandboxMount[];
}

export type FleetRole = 'steady' | 'slow' | 'failing' | 'silent';

/** One source of the fleet, as its sources.csv row names it. */
export interface FleetSource {
  readonly id: string;
  readonly kind: 'panel' | 'payelancer';
  readonly url: string;
  /** The environment variable holding its key (SANDBOX_ENVIRONMENT names its value). */
  readonly secret: 'PANEL_KEY' | 'PAYELANCER_KEY';
  readonly role: FleetRole;
}

export interface RunningFleet {
  readonly lead: RunningSandbox;
  readonly members: readonly RunningSandbox[];
  readonly sources: readonly FleetSource[];
  close(): Promise<void>;
}

/** A slow member's every reply waits this long, as a distant panel's would. */
export const FLEET_SLOW_REPLY_MS = 120;

export async function startFleet(options: FleetOptions): Promise<RunningFleet> {
  const seed = options.seed ?? DEFAULT_SEED;
  const startDate = options.startDate ?? DEFAULT_START_DATE;
  const size = Math.max(options.panels, options.publishers, 1);
  const roles = Array.from({ length: size }, (_, index) => memberRole(index, options.panels));
  const members: RunningSandbox[] = [];
  for (const [index, role] of roles.entries()) {
    const lead = members[0];
    members.push(
      await startSandbox({
        seed: seed + index,
        startDate,
        port: options.port === 0 ? 0 : options.port + index,
        ...(options.today === undefined ? {} : { today: options.today }),
        ...(role === 'slow' ? { replyLatencyMs: FLEET_SLOW_REPLY_MS } : {}),
        ...(role === 'silent' ? { silentFrom: addDays(startDate, 2) } : {}),
        ...(lead === undefined ? { extraMounts: options.leadMounts } : { followDay: () => lead.today() }),
      }),
    );
  }
  const failing = roles.indexOf('failing');
  if (failing >= 0) members[failing]?.injectFaults({ service: 'panel', upstreamErrors: 100_000 });
  return {
    lead: members[0]!,
    members,
    sources: fleetSources(members, roles, options),
    async close() {
      await Promise.all(members.map((member) => member.close()));
    },
  };
}

/** The last panel fails, the one before it is silent (in a fleet of three or more panels); every fifth member is slow. */
function memberRole(index: number, panels: number): FleetRole {
  if (panels >= 2 && index === panels - 1) return 'failing';
  if (panels >= 3 && index === panels - 2) return 'silent';
  return index % 5 === 4 ? 'slow' : 'steady';
}

function fleetSources(members: readonly RunningSandbox[], roles: readonly FleetRole[], options: FleetOptions) {
  const number = (index: number) => String(index + 1).padStart(2, '0');
  const panels = members.slice(0, options.panels).map((member, index): FleetSource => ({
    id: `panel-${number(index)}`,
    kind: 'panel',
    url: member.panelUrl,
    secret: 'PANEL_KEY',
    role: roles[index]!,
  }));
  const publishers = members.slice(0, options.publishers).map((member, index): FleetSource => ({
    id: `publisher-${number(index)}`,
    kind: 'payelancer',
    url: member.payelancerBaseUrl,
    secret: 'PAYELANCER_KEY',
    role: roles[index] === 'slow' ? 'slow' : roles[index] === 'silent' ? 'silent' : 'steady',
  }));
  return [...panels, ...publishers];
}

/**
 * The fleet as sources.csv: a row per source, its role in a comment line above the table; with `entityOf`, an
 * entity column naming the entity each source books into.
 */
export function fleetSourcesCsv(sources: readonly FleetSource[], entityOf?: (source: FleetSource) => string): string {
  const roles = sources.filter((source) => source.role !== 'steady').map((source) => `${source.id} ${source.role}`);
  const row = (source: FleetSource) => [source.id, source.kind, source.url, source.secret];
  return [
    `# written by ledgerline sandbox --panels --publishers; not steady: ${roles.join(', ')}`,
    entityOf === undefined ? 'id,kind,url,secret' : 'id,kind,url,secret,entity',
    ...sources.map((source) => (entityOf === undefined ? row(source) : [...row(source), entityOf(source)]).join(',')),
    '',
  ].join('\n');
}
