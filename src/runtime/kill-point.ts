/** The variable that names a kill point: a crash test's only way in, unset in every real run. */
export const KILL_POINT_VARIABLE = 'LEDGERLINE_KILL_POINT';

/**
 * A crash test's seeded kill -9 at a named moment inside a command's work: with
 * LEDGERLINE_KILL_POINT=bank-import:batch-2 the process sends itself SIGKILL when the import names that moment,
 * so the test kills it exactly there (a signal from outside lands wherever the process happens to be). SIGKILL
 * runs no handler and flushes nothing: the same death as `kill -9`. Unset, each moment is a no-op.
 */
export function killPoint(env: NodeJS.ProcessEnv): (moment: string) => void {
  const chosen = env[KILL_POINT_VARIABLE];
  if (chosen === undefined || chosen === '') return () => {};
  return (moment) => {
    if (moment === chosen) process.kill(process.pid, 'SIGKILL');
  };
}
