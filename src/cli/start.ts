#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { packageVersion, versionAsked } from './version.js';

// V8 lets the heap grow to about four times what survives a collection before it collects again: a first
// import of 200,000 orders (about 45 MB live) peaks at 280-305 MB. Growing by half instead keeps it near
// 222 MB for about 1.3 s more CPU of 9 (bench/orders-import.bench.mjs, 2026-11-25, three runs each in turns:
// 7.7-8.2 s and 280-304 MB without, 9.1-9.6 s and 220-224 MB with). V8 reads this setting at each collection.
setFlagsFromString('--heap-growing-percent=50');

const argv = process.argv.slice(2);
// `--version` is answered here, before the rest of the CLI loads: a script asking it pays only node's own start.
if (versionAsked(argv)) process.stdout.write(`${packageVersion()}\n`);
else process.exitCode = await runCommand(argv);

/** The whole CLI, loaded now that a command (or help) is asked for. */
async function runCommand(args: string[]): Promise<number> {
  const { runCli } = await import('./run-cli.js');
  // The first SIGINT/SIGTERM asks the running command to finish its current step and stop; a second one ends the process.
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) process.exit(130);
    process.stderr.write(`received ${signal}: finishing the current step, then stopping\n`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await runCli(args, {
      env: process.env,
      cwd: process.cwd(),
      stdout: process.stdout,
      stderr: process.stderr,
      stopSignal: stop.signal,
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
