// Runs a command `runs` times in one shell loop and returns the CPU (user + system) of one run, from the shell's
// `times`: the children's getrusage, printed to the millisecond, so one run's figure is finer than /usr/bin/time's
// 10 ms tick (`--version` takes about 15 of them) by the number of runs.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const LOOP = `runs=$1 out=$2 ok=" $3 "; shift 3
for ((i = 0; i < runs; i++)); do
  "$@" > /dev/null; code=$?
  case "$ok" in *" $code "*) ;; *) exit "$code" ;; esac
done
times > "$out"`;

/** { cpuMs } of one run of `command args…` in `cwd`, the mean of `runs` in a row; throws if one exits other than `okCodes` (0). */
export async function timedRuns(command, args, { cwd, runs, okCodes = [0] }) {
  const timesFile = join(cwd, `.times-${process.pid}-${Date.now()}`);
  const child = spawn(
    'bash',
    ['-c', LOOP, 'timed-runs', String(runs), timesFile, okCodes.join(' '), command, ...args],
    {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(0, 2000)}`);
  // The second line is the children's: "0m1.234s 0m0.056s".
  const children = readFileSync(timesFile, 'utf8').trim().split('\n')[1];
  rmSync(timesFile);
  const [user, system] = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map(
    (match) => Number(match[1]) * 60 + Number(match[2]),
  );
  return { cpuMs: ((user + system) * 1000) / runs };
}
