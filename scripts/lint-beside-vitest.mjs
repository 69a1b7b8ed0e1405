// `npm test`: the lint (tsc and the typed eslint, about 38 CPU-s) beside vitest instead of before it. Alone, the
// lint kept one core of two idle for a minute; beside vitest it fills the moments when vitest waits on PostgreSQL,
// fakes and subprocesses. vitest's output comes as it runs, the lint's after it, whole, so neither
// interleaves with the other. The arguments go to vitest (`.ci/run` passes reporters and coverage this way).
// The build (`pretest`) has already run: vitest's spawned CLI needs dist/.
// Measured on the 2-core machine, 2026-11-26: see the commit that added this file.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const vitestBin = join(import.meta.dirname, '..', 'node_modules', 'vitest', 'vitest.mjs');
const npm = process.env.npm_execpath;

/** A child's exit code (1 for a signal); its output kept when `keep` is set, else passed straight through. */
function run(command, args, keep) {
  const child = spawn(command, args, { stdio: ['ignore', keep ? 'pipe' : 'inherit', keep ? 'pipe' : 'inherit'] });
  const chunks = [];
  if (keep) {
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
  }
  return new Promise((resolve) => {
    child.on('error', (error) => resolve({ code: 1, output: `${command}: ${error.message}\n` }));
    child.on('close', (code) => resolve({ code: code ?? 1, output: Buffer.concat(chunks).toString('utf8') }));
  });
}

// npm's own script (npm_execpath) when npm started this, so `npm run lint` is the one the README names.
const lint = npm
  ? run(process.execPath, [npm, 'run', '--silent', 'lint'], true)
  : run('npm', ['run', '--silent', 'lint'], true);
const vitest = run(process.execPath, [vitestBin, 'run', ...process.argv.slice(2)], false);

const [linted, tested] = await Promise.all([lint, vitest]);
process.stdout.write(
  `\n== npm run lint (run beside vitest): ${linted.code === 0 ? 'passed' : `FAILED (exit ${linted.code})`}\n${linted.output}`,
);
if (linted.code !== 0) process.stdout.write('npm test fails: the lint above failed, whatever vitest said\n');
process.exitCode = tested.code !== 0 ? tested.code : linted.code;
