// Runs a command to completion under /usr/bin/time: wall time (measured here)
// the CPU it used (user + system) and the peak resident set size the kernel reports for it, whatever it is written in.
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** { ms, cpuMs, peakRssMb } of `command args…` run in `cwd` with stdout to `stdoutPath` (or discarded); throws if it exits other than `okCodes` (0). */
export async function timedProcess(command, args, { cwd, stdoutPath, env, okCodes = [0] }) {
  const rssFile = join(cwd, `.time-${process.pid}-${Date.now()}`);
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%U %S %M', '-o', rssFile, command, ...args], {
    cwd,
    env,
    stdio: ['ignore', stdoutPath ? 'pipe' : 'ignore', 'pipe'],
  });
  const out = stdoutPath ? child.stdout.pipe(createWriteStream(stdoutPath)) : undefined;
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise((resolve) => child.on('close', resolve));
  // The file may still be flushing when the child has closed: it is read as soon as this returns.
  if (out !== undefined && !out.writableFinished) await new Promise((resolve) => out.on('finish', resolve));
  const ms = performance.now() - started;
  if (!okCodes.includes(code)) throw new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(0, 2000)}`);
  const [user, system, peakRssKb] = readFileSync(rssFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
  rmSync(rssFile);
  return { ms, cpuMs: Math.round((user + system) * 1000), peakRssMb: Math.round(peakRssKb / 1024) };
}
