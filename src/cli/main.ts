#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { runCli } from './run-cli.js';

// V8 lets the heap grow to about four times what survives a collection before it collects again: a first
// import of 200,000 orders (about 45 MB live) peaked near 300 MB. Growing by half instead keeps it near
// 220 MB for about the same CPU (bench/orders-import.bench.mjs). V8 reads this setting at each collection.
setFlagsFromString('--heap-growing-percent=50');

// The first SIGINT/SIGTERM asks the running command to finish its current step and stop; a second one ends the process.
const stop = new AbortController();
const onSignal = (signal: NodeJS.Signals) => {
  if (stop.signal.aborted) process.exit(130);
  process.stderr.write(`received ${signal}: finishing the current step, then stopping\n`);
  stop.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  stopSignal: stop.signal,
});
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);
process.exitCode = exitCode;
