import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { refuseBugReport, type CliRun } from './cli.js';

const RUNNER = resolve(import.meta.dirname, 'cli-runner.mjs');

/** One process of the built CLI taking commands one at a time (cli-runner.mjs). */
export interface CliProcess {
  run(args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<CliRun>;
  stop(): Promise<void>;
}

export function startCliProcess(): CliProcess {
  // Its stdout holds only the help the bundle's start prints as the runner loads it (cli-runner.mjs): each run's is captured.
  const child: ChildProcess = fork(RUNNER, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const waiting = new Map<number, (run: CliRun) => void>();
  let next = 0;
  child.on('message', (message: CliRun & { id: number }) => {
    waiting.get(message.id)?.({ code: message.code, stdout: message.stdout, stderr: message.stderr });
    waiting.delete(message.id);
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    async run(args, cwd, env = {}) {
      const id = (next += 1);
      const answered = new Promise<CliRun>((done) => waiting.set(id, done));
      child.send({ id, args, cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
      const run = await Promise.race([
        answered,
        exited.then(() =>
          Promise.reject(new Error(`the CLI process ended before answering ledgerline ${args.join(' ')}`)),
        ),
      ]);
      refuseBugReport(args, run);
      return run;
    },
    async stop() {
      if (child.connected) child.disconnect();
      await exited;
    },
  };
}

/** Runs each round's command in both processes at once, round after round; each round's two runs, in order. */
export async function runPairs(
  processes: readonly [CliProcess, CliProcess],
  rounds: number,
  command: (round: number) => { args: readonly string[]; cwd: string },
): Promise<[CliRun, CliRun][]> {
  const runs: [CliRun, CliRun][] = [];
  for (let round = 1; round <= rounds; round += 1) {
    const { args, cwd } = command(round);
    runs.push(await Promise.all([processes[0].run(args, cwd), processes[1].run(args, cwd)]));
  }
  return runs;
}
