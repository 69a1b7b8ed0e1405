import { join } from 'node:path';
import { EXIT, UsageError, type ExitCode } from '../../errors.js';
import { ExceptionQueueSchema } from '../../reads/index.js';
import { addDays } from '../../rules/index.js';
import type { SubcommandRunner } from './steps.js';

/** The nights the fleet demo syncs: the silent member goes quiet on the third, so the last is its third quiet day. */
const FLEET_NIGHTS = 5;
export const FLEET_DEMO_START = '2026-03-01';

/** The fleet sandbox as the demo drives it (the demo command starts it: only it may reach the sandbox). */
interface FleetDemoWorld {
  readonly start: string;
  /** What the fleet is, in one line. */
  readonly said: string;
  nextDay(): void;
  /** How many journals the destination fake's two organisations hold: north's, then south's. */
  journalsHeld(): readonly [number, number];
}

interface FleetDemoRequest {
  readonly dir: string;
  readonly world: FleetDemoWorld;
  readonly destination: string;
  /** Runs another ledgerline command in this process, with the fleet's configuration. */
  readonly run: SubcommandRunner;
  readonly say: (line: string) => void;
  /** The CLI's entry file, for the command line it prints. */
  readonly main: string;
}

/**
 * `ledgerline demo --fleet`: the fleet sandbox (its last panel failing with 502s, the one before it silent from its
 * third day, two entities each posting to its own organisation) synced night by night, posted, then shown as a
 * practice sees it: `status --fleet` (one line per source) and `status --exceptions` counted by kind.
 */
export async function fleetDemo(request: FleetDemoRequest): Promise<ExitCode> {
  const { dir, world, run, say } = request;
  say(`ledgerline demo --fleet in ${dir}`);
  say(world.said);
  say(`1. sandbox: wrote sources.csv and ledgerline.yaml (entities north and south, each its own ledger)`);
  for (let night = 0; night < FLEET_NIGHTS; night += 1) {
    const day = addDays(world.start, night);
    const synced = await run(['sync', '--as-of', day]);
    // Exit 3 is the fleet's failing panel, which fails every night by design; anything else stops the demo.
    if (synced.exitCode === EXIT.usage || synced.exitCode === EXIT.internal)
      throw new UsageError(`demo --fleet: sync of ${day} failed (exit ${synced.exitCode}): ${synced.stderr.trim()}`);
    world.nextDay();
  }
  say(`2. sync: ${FLEET_NIGHTS} nights, ${world.start} to ${addDays(world.start, FLEET_NIGHTS - 1)}, both entities`);
  const posted = await run(['post', request.destination]);
  const [north, south] = world.journalsHeld();
  say(
    posted.exitCode === EXIT.ok || posted.exitCode === EXIT.attention
      ? `3. post ${request.destination}: north's journals to the fake's first organisation (${north}), south's to its second (${south})`
      : `3. post: ${posted.stderr.trim().split('\n')[0] ?? `exit ${posted.exitCode}`}`,
  );
  say('');
  say('status --fleet:');
  say((await run(['status', '--fleet'])).stdout.trimEnd());
  say('');
  say(exceptionsLine((await run(['status', '--exceptions', '--json'])).stdout));
  say('');
  say(
    `everything is in ${dir}; each entity's books in ${join(dir, 'north')} and ${join(dir, 'south')}. The work list:`,
  );
  say(`  node ${request.main} --config ${join(dir, 'ledgerline.yaml')} status --exceptions`);
  return EXIT.ok;
}

/** `status --exceptions --json` in one line: how many things need a person, by kind in the alphabet's order. */
function exceptionsLine(json: string): string {
  const kinds = new Map<string, number>();
  const queue = ExceptionQueueSchema.parse(JSON.parse(json));
  for (const item of queue) kinds.set(item.kind, (kinds.get(item.kind) ?? 0) + 1);
  const byKind = [...kinds]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
  return `status --exceptions: ${queue.length} things need a person${byKind === '' ? '' : ` (${byKind})`}, oldest first`;
}
