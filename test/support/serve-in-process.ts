import { Writable } from 'node:stream';
import { runCli } from '../../src/cli/run-cli.js';
import { refuseBugReport, type CliRun } from './cli.js';

export interface ServingConsole {
  /** The address serve printed, e.g. http://0.0.0.0:41234/ */
  url: string;
  port: number;
  /** Raises the stop signal (Ctrl-C) and waits for serve to end. */
  stop(): Promise<CliRun>;
}

/**
 * `ledgerline serve …` in this process (runCli, as runLedgerline does), resolved once it prints its address:
 * the console's answers can then be asked over real HTTP while the run goes on. Bounded: 20 s to listen.
 */
export async function serveInProcess(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; now?: () => Date },
): Promise<ServingConsole> {
  const said = { stdout: '', stderr: '' };
  let printed: (url: string) => void = () => undefined;
  const listening = new Promise<string>((resolve) => (printed = resolve));
  const capture = (which: 'stdout' | 'stderr') =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        said[which] += chunk.toString('utf8');
        const found = /console on (http:\/\/\S+\/)/.exec(said.stdout);
        if (found) printed(found[1]!);
        done();
      },
    });
  const stop = new AbortController();
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env };
  const running = runCli(['serve', ...args], {
    env,
    cwd: options.cwd,
    stdout: capture('stdout'),
    stderr: capture('stderr'),
    stopSignal: stop.signal,
    ...(options.now === undefined ? {} : { now: options.now }),
  }).then((code) => {
    const result = { code: code as number, ...said };
    refuseBugReport(['serve', ...args], result);
    return result;
  });
  let timer: NodeJS.Timeout | undefined;
  const url = await Promise.race([
    listening,
    running.then((run) =>
      Promise.reject(new Error(`serve ended (${run.code}) before listening: ${run.stdout}${run.stderr}`)),
    ),
    new Promise<never>(
      (_, reject) =>
        (timer = setTimeout(
          () => reject(new Error(`serve printed no address within 20 s: ${said.stdout}${said.stderr}`)),
          20_000,
        )),
    ),
  ]).finally(() => clearTimeout(timer));
  return {
    url,
    port: Number(new URL(url).port),
    stop: () => {
      stop.abort();
      return running;
    },
  };
}
