// The size a bench runs at, and the figures that must be 0. `node bench/run.mjs --size=tiny` (or
// BENCH_SIZE=tiny) runs every bench at a size that takes a second or two, so test/bench/benches-run.test.ts
// can run them all and a bench that no longer runs, or whose check fails, is caught by the suite rather than
// on the next quiet-machine run. A size variable set explicitly (BENCH_LINES=…) wins over either size.
import { pathToFileURL } from 'node:url';

export const TINY = process.env.BENCH_SIZE === 'tiny';

/** The number in `variable` when set, else `tiny` under BENCH_SIZE=tiny, else `full`. */
export function sized(variable, full, tiny) {
  const set = variable === undefined ? undefined : process.env[variable];
  if (set !== undefined && set !== '') return Number(set);
  return TINY ? tiny : full;
}

/** The metrics named "(must be 0)" that are not 0 (NaN and undefined included), as "name: value". */
export function mustBeZeroFailures(metrics) {
  return Object.entries(metrics)
    .filter(([name, value]) => name.includes('(must be 0)') && Number(value) !== 0)
    .map(([name, value]) => `${name}: ${value}`);
}

/** A bench run as `node bench/NAME.bench.mjs`: its figures printed, and exit 1 when a figure that must be 0 is not. */
export async function runWhenMain(moduleUrl, run) {
  if (process.argv[1] === undefined || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  const result = await run();
  console.log(result.name, result.metrics);
  const failures = mustBeZeroFailures(result.metrics);
  for (const failure of failures) console.error(`check failed: ${failure}`);
  if (failures.length > 0) process.exitCode = 1;
}
