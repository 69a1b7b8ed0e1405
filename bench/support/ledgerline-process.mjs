import { spawn } from 'node:child_process';

/**
 * `ledgerline worker` (with `args`) started in `dir`, resolved once it says it is taking close jobs. From then on its
 * log is drained unread: keeping a night's log would spend this process's CPU, counted as the sandbox's.
 */
export function startedWorker(cli, dir, env, args = []) {
  // BENCH_WORKER_NODE_ARGS: node's own flags for the workers alone, e.g. "--cpu-prof --cpu-prof-dir=/tmp/profiles".
  const nodeArgs = process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, cli, 'worker', ...args], {
    cwd: dir,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let stderr = '';
    const read = (chunk) => {
      stderr += chunk;
      if (!stderr.includes('taking close jobs')) return;
      child.stderr.off('data', read);
      child.stderr.resume();
      resolve(child);
    };
    child.stderr.on('data', read);
    child.once('close', (code) =>
      reject(new Error(`worker exited ${code} before taking jobs: ${stderr.slice(0, 2000)}`)),
    );
  });
}

/** `ledgerline …args` run in `dir`: its stdout once it exits with one of `okCodes`, else an error with its stderr. */
export function ledgerline(cli, dir, args, env, okCodes = [0]) {
  const child = spawn(process.execPath, [cli, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) =>
    child.once('close', (code) =>
      okCodes.includes(code)
        ? resolve(stdout)
        : reject(new Error(`ledgerline ${args.join(' ')} exited ${code}: ${stderr.slice(0, 2000)}`)),
    ),
  );
}
