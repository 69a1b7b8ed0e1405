import { configuredEntityNames } from '../config/index.js';
import type { ExitCode } from '../errors.js';
import type { CommandProcess, FlagValues } from './command.js';

type Flags = Readonly<FlagValues>;

/**
 * A command that runs for each entity (sync, post): without --entity in a configuration with several, once per
 * entity in the file's order, each announced on stderr; the exit code is the highest of theirs. `run` names it for
 * the fleet's monitor ping (the top level's `monitor.ping`), which watches the whole; a rehearsal (--dry-run,
 * --plan) sends nothing and is not pinged. Sources named (`--source`) are each synced in their own entity, and an
 * entity holding none of them is left out: `sync --source panel-12`, as the exception queue's next step writes it,
 * syncs south's panel-12 without north refusing it as none of its own.
 */
export async function forEachEntity(
  context: CommandProcess,
  work: (context: CommandProcess, flags?: Flags) => Promise<ExitCode>,
  run?: { command: string; flags: Flags },
): Promise<ExitCode> {
  const names =
    context.entity === undefined
      ? configuredEntityNames({ path: context.configPath, env: context.env, cwd: context.cwd })
      : [];
  if (names.length <= 1) return work(context);
  const parts = await sourcesOfEachEntity(context, names, run?.flags);
  const everyEntity = async (): Promise<ExitCode> => {
    let worst: ExitCode = 0;
    for (const { entity, flags } of parts) {
      context.stderr.write(`entity ${entity}:\n`);
      const code = await work({ ...context, entity }, flags);
      if (code > worst) worst = code;
    }
    return worst;
  };
  if (run === undefined || run.flags['dry-run'] === true || run.flags['plan'] === true) return everyEntity();
  const [{ loadConfigFor }, { withFleetPings }] = await Promise.all([
    import('../app/configured-books.js'),
    import('../app/pinged-runs.js'),
  ]);
  // The fleet's ping is the top level's: any entity's view of the file carries it.
  const config = loadConfigFor({ ...context, entity: names[0] }, { alerts: true });
  return withFleetPings(
    context,
    config,
    `${run.command} of the fleet (${parts.map(({ entity }) => entity).join(', ')})`,
    everyEntity,
    (code) => code,
  );
}

/**
 * The entities a run goes through, each with its flags: every entity with the flags as typed, or, when `--source`
 * names sources every one of which some entity holds, the entities holding them, each with only its own. A source
 * no entity holds leaves the run as typed, so the configuration's check names it (`no source has id "panel-99"`).
 */
async function sourcesOfEachEntity(
  context: CommandProcess,
  names: readonly string[],
  flags: Flags | undefined,
): Promise<{ entity: string; flags?: Flags }[]> {
  const named = flags?.['source'];
  const asTyped = names.map((entity) => ({ entity }));
  if (flags === undefined || !Array.isArray(named) || named.length === 0) return asTyped;
  const { loadEachEntityConfigFor } = await import('../app/configured-books.js');
  const held = loadEachEntityConfigFor(context).map((config) => ({
    entity: config.entity!,
    own: named.filter((id) => config.sources.some((source) => source.id === id)),
  }));
  if (!named.every((id) => held.some(({ own }) => own.includes(id)))) return asTyped;
  return held
    .filter(({ own }) => own.length > 0)
    .map(({ entity, own }) => ({ entity, flags: { ...flags, source: own } }));
}
