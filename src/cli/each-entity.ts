import { configuredEntityNames } from '../config/index.js';
import type { ExitCode } from '../errors.js';
import type { CommandProcess } from './command.js';
import { loadConfigFor } from './load.js';
import { withFleetPings } from './run-pings.js';

/**
 * A command that runs for each entity (sync, post): without --entity in a configuration with several, once per
 * entity in the file's order, each announced on stderr; the exit code is the highest of theirs. `pinged` names the
 * run for the fleet's monitor ping (the top level's `monitor.ping`), which watches the whole; none for a rehearsal.
 */
export async function forEachEntity(
  context: CommandProcess,
  work: (context: CommandProcess) => Promise<ExitCode>,
  pinged?: string,
): Promise<ExitCode> {
  const names =
    context.entity === undefined
      ? configuredEntityNames({ path: context.configPath, env: context.env, cwd: context.cwd })
      : [];
  if (names.length <= 1) return work(context);
  const everyEntity = async (): Promise<ExitCode> => {
    let worst: ExitCode = 0;
    for (const entity of names) {
      context.stderr.write(`entity ${entity}:\n`);
      const code = await work({ ...context, entity });
      if (code > worst) worst = code;
    }
    return worst;
  };
  if (pinged === undefined) return everyEntity();
  // The fleet's ping is the top level's: any entity's view of the file carries it.
  const config = loadConfigFor({ ...context, entity: names[0] }, { alerts: true });
  return withFleetPings(context, config, `${pinged} of the fleet (${names.join(', ')})`, everyEntity);
}
