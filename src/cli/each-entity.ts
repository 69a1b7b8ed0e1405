import { configuredEntityNames } from '../config/index.js';
import type { ExitCode } from '../errors.js';
import type { CommandProcess } from './command.js';

/**
 * A command that runs for each entity (sync, post): without --entity in a configuration with several, once per
 * entity in the file's order, each announced on stderr; the exit code is the highest of theirs.
 */
export async function forEachEntity(
  context: CommandProcess,
  work: (context: CommandProcess) => Promise<ExitCode>,
): Promise<ExitCode> {
  const names =
    context.entity === undefined
      ? configuredEntityNames({ path: context.configPath, env: context.env, cwd: context.cwd })
      : [];
  if (names.length <= 1) return work(context);
  let worst: ExitCode = 0;
  for (const entity of names) {
    context.stderr.write(`entity ${entity}:\n`);
    const code = await work({ ...context, entity });
    if (code > worst) worst = code;
  }
  return worst;
}
