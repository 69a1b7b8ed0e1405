import { checkedCacheIn } from '../config/index.js';
import { takeDefaultLocaleFrom } from '../store/index.js';
import { buildPrefix, codeCacheDir } from '../runtime/code-cache.js';

/**
 * The CLI's start once main.ts has set node up (and answered `--version`): bundled as CommonJS
 * (scripts/bundle-cli.mjs), so no top-level await.
 */
// This process's own environment, which ICU took its default locale from: the store orders names without ICU when
// that locale orders as root (store/name-order.ts).
takeDefaultLocaleFrom(process.env);
void runCommand(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});

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
      // Beside the code cache, and off with it (LEDGERLINE_CODE_CACHE=off); scripts/bundle-cli.mjs writes build-id.
      checkedCache: checkedCacheIn(codeCacheDir(process.env), new URL('build-id', import.meta.url), buildPrefix),
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
