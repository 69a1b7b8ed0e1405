#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { versionAsked } from './version-flag.js';

// `--version` is answered first, before the code cache or any of the CLI loads: a script asking it pays only node's
// own start and this file's. main runs only as built, dist/src/cli/main.js, three folders below package.json: a link
// to main.cjs, this file bundled as CommonJS (scripts/bundle-cli.mjs), so node starts without its ES module loader.
if (versionAsked(process.argv.slice(2))) {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  process.stdout.write(`${pkg.version}\n`);
} else void startCli();

/** Node set up for the CLI (the heap's growth, the code cache), then the CLI itself. */
async function startCli(): Promise<void> {
  const [{ createRequire }, { setFlagsFromString }, { codeCacheDir, installCodeCache }] = await Promise.all([
    import('node:module'),
    import('node:v8'),
    import('../runtime/code-cache.js'),
  ]);
  // V8 lets the heap grow to about four times what survives a collection before it collects again: a first
  // import of 200,000 orders (about 45 MB live) peaks at 280-305 MB. Growing by half instead keeps it near
  // 222 MB for about 1.3 s more CPU of 9 (bench/orders-import.bench.mjs, 2026-11-25, three runs each in turns:
  // 7.7-8.2 s and 280-304 MB without, 9.1-9.6 s and 220-224 MB with). V8 reads this setting at each collection.
  // Set before anything is compiled through the code cache: V8 takes a cache only under the flags it was made with.
  setFlagsFromString('--heap-growing-percent=50');
  // The CLI itself is the CommonJS bundle of start.ts (scripts/bundle-cli.mjs), each of its files compiled through the
  // code cache, as are the CommonJS packages it requires.
  const cacheDir = codeCacheDir(process.env);
  if (cacheDir !== undefined) installCodeCache(cacheDir, dirname(fileURLToPath(import.meta.url)));
  createRequire(import.meta.url)('./start.cjs');
}
