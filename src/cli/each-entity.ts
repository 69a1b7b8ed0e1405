import { configuredEntityNames } from '../config/index.js';
import type { ExitCode } from '../errors.js';
import type { CommandProcess } from './command.js';

/**
 * A command that runs for each entity (sync, post): without --entity in a configuration with several, once per
 * entity in the file's order, each announced on stderr; the exit code is the highest of theirs. `run` names it for
 * the fleet's monitor ping (the top level's `monitor.ping`), which watches the whole; a rehearsal (--dry-run,
 * --plan) sends nothing and is not pinged.
 */
export async function forEachEntity(
  context: CommandProcess,
  work: (context: CommandProcess) => Promise<ExitCode>,
  run?: { command: string; flags: Readonly<Record<string, unknown>> },
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
  if (run === undefined || run.flags['dry-run'] === true || run.flags['plan'] === true) return everyEntity();
  const [{ loadConfigFor }, { withFleetPings }] = await Promise.all([
    import('../app/configured-books.js'),
    import('../app/run-pings.js'),
  ]);
  // The fleet's ping is the top level's: any entity's view of the file carries it.
  const config = loadConfigFor({ ...context, entity: names[0] }, { alerts: true });
  return withFleetPings(
    context,
    config,
    `${run.command} of the fleet (${names.join(', ')})`,
    everyEntity,
    (code) => code,
  );
}
