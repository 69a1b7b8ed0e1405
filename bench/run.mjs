// npm run bench: every bench/*.bench.mjs exports run() → { name, metrics }, measured
// against a baseline inside the same process. Figures are ratios, printed and
// written to bench/out/latest.json; nothing timed is an assertion, but a figure
// named "(must be 0)" that is not 0, or a bench that throws, makes the run exit 1
// after the other benches have run.
//
//   node bench/run.mjs [--size=tiny] [NAME…]   (--size=tiny: the same as BENCH_SIZE=tiny)
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const size = args.find((arg) => arg.startsWith('--size='))?.slice('--size='.length);
if (size !== undefined) process.env.BENCH_SIZE = size;
const only = args.filter((arg) => !arg.startsWith('--'));
const files = readdirSync(here)
  .filter((name) => name.endsWith('.bench.mjs'))
  .filter((name) => only.length === 0 || only.some((word) => name.includes(word)))
  .sort();
// Imported after BENCH_SIZE is set: the benches read their sizes when loaded.
const { mustBeZeroFailures } = await import('./support/bench-size.mjs');

const results = [];
const failed = [];
for (const file of files) {
  process.stdout.write(
    `\n== ${file} (load average ${loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')})\n`,
  );
  try {
    const module = await import(join(here, file));
    const result = await module.run();
    results.push(result);
    for (const [key, value] of Object.entries(result.metrics)) process.stdout.write(`  ${key}: ${value}\n`);
    for (const failure of mustBeZeroFailures(result.metrics)) failed.push(`${file}: check failed: ${failure}`);
  } catch (error) {
    failed.push(`${file}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}
if (process.env.BENCH_SIZE !== 'tiny') {
  mkdirSync(join(here, 'out'), { recursive: true });
  writeFileSync(
    join(here, 'out', 'latest.json'),
    JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2),
  );
}
for (const failure of failed) process.stderr.write(`${failure}\n`);
if (failed.length > 0) process.exitCode = 1;
