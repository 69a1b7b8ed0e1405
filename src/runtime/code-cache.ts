import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

/** A dynamic import of something in a file's text (`import()` alone, as comments write it, is none); a false match costs only that file its cache. */
const DYNAMIC_IMPORT = /\bimport\s*\((?!\))/;

/**
 * The CLI's own bundle (start.cjs and chunks/, in `bundle`): scripts/bundle-cli.mjs has rolldown turn every
 * `import()` into a require (dynamicImportInCjs: false), so its files are never searched for one. The search found
 * "import (CSV)" in the text of the chunk holding yaml, which then ran uncached every time (2026-11-27).
 */
const ofBundle = (filename: string, bundle: string) =>
  filename.endsWith('.cjs') && [bundle, join(bundle, 'chunks')].includes(dirname(filename));

/**
 * What names a file's content in its cache key. A chunk's name carries a hash of its content (chunkFileNames in
 * scripts/bundle-cli.mjs) and the build id one of every bundled file, so the two and its length name it without
 * hashing its text (sha1 of the 2 MB a balances loads was 24 M instructions of its 0.92 G); anything else (start.cjs,
 * whose name is fixed, and node_modules' files) is named by its whole text.
 */
function contentName(filename: string, content: string, bundle: string, buildId: string | undefined): string {
  const chunk = buildId !== undefined && dirname(filename) === join(bundle, 'chunks') && filename.endsWith('.cjs');
  return chunk ? `${buildId}\0${content.length}` : content;
}

/** The bundle's build id (written by scripts/bundle-cli.mjs after the chunks), or undefined without one. */
function readBuildId(bundle: string): string | undefined {
  try {
    return readFileSync(join(bundle, 'build-id'), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * A V8 code cache for what the CLI loads as CommonJS (its own bundle, `dist/src/cli/*.cjs`, and the vendors' SDKs,
 * pg, better-sqlite3's JS): Node 20 has no compile cache (`module.enableCompileCache` is Node 22), but V8 takes one
 * for a `vm.Script`, so each CommonJS file is compiled here as `v8-compile-cache` does, with the cache of its
 * content if one is kept, and a file compiled without one has its cache written when the process exits (after the
 * run, so the functions compiled when first called are in it too). One file per source path and content, under
 * `$XDG_CACHE_HOME/ledgerline` (or `~/.cache/ledgerline`), in a folder per node version and node flags; written to a
 * temporary name and renamed, so processes starting together never read half a file. A cache V8 rejects (a corrupt
 * file, another V8) is compiled without and rewritten. `LEDGERLINE_CODE_CACHE=off` turns it off.
 */

/** Node's CommonJS internals this module replaces or calls (not in @types/node). */
interface CommonJsModule {
  exports: unknown;
  filename: string;
  require(id: string): unknown;
  load(filename: string): void;
}
interface CommonJsLoader {
  prototype: { _compile(this: CommonJsModule, content: string, filename: string, format?: string): unknown };
  wrap(content: string): string;
  _resolveFilename(request: string, parent: CommonJsModule | undefined, isMain: boolean, options?: unknown): string;
  _resolveLookupPaths(request: string, parent: CommonJsModule): string[] | null;
  _extensions: unknown;
  _cache: Record<string, CommonJsModule | undefined>;
  new (id: string, parent: CommonJsModule): CommonJsModule;
}

/** A script compiled without a usable cache, and where its cache goes when the process exits. */
interface PendingCache {
  script: Script;
  file: string;
}

/** The folder of this node's caches, or undefined when turned off. */
export function codeCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  if (env.LEDGERLINE_CODE_CACHE === 'off') return undefined;
  // The XDG rule: a relative XDG_CACHE_HOME is ignored.
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg !== undefined && isAbsolute(xdg) ? xdg : join(homedir(), '.cache');
  const flags = createHash('sha1')
    .update([...process.execArgv, env.NODE_OPTIONS ?? ''].join('\0'))
    .digest('hex')
    .slice(0, 12);
  return join(base, 'ledgerline', `code-${process.version}-${process.arch}-${flags}`);
}

/**
 * Compiles every CommonJS file loaded from now on through the cache in `dir`. `bundle` is the folder of the CLI's
 * bundle (main.cjs passes its own; this module may be one of the bundle's chunks).
 */
export function installCodeCache(dir: string, bundle = dirname(fileURLToPath(import.meta.url))): void {
  // A file's cache is written once, at the exit of the first run that loads it: by then a long run (a demo, a sync)
  // had V8 drop the bytecode of what ran only at load (every file's top level), and every later run parsed each file
  // whole again (a demo-first cache: 1.146 G instructions per balances, 0.952 G with this). Set before any compile:
  // V8 takes a cache only under the flags it was made with. A long-running serve keeps no more for it (its RSS levels
  // at ~123 MB with or without: bench/startup.bench.mjs, 2026-11-27).
  setFlagsFromString('--no-flush-bytecode');
  const loader = Module as unknown as CommonJsLoader;
  const nodeCompile = loader.prototype._compile;
  const pending: PendingCache[] = [];
  const buildId = readBuildId(bundle);
  resolveBundledPackages(loader, bundle);
  loader.prototype._compile = function compileCached(content, filename, format) {
    // An ES module required (require(esm)) is node's own business. So is a file that may call import(): on Node 20
    // a script compiled from cached data loses its dynamic-import callback (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING
    // on every run after the first), so such a file is compiled without the cache.
    if (format === 'module' || (!ofBundle(filename, bundle) && DYNAMIC_IMPORT.test(content)))
      return nodeCompile.call(this, content, filename, format);
    // Keyed by the file's path too: V8 keeps the path a cache was made under as the script's name, which stack
    // traces show and which `bindings` (better-sqlite3's loader) reads to find its package.
    const key = createHash('sha1')
      .update(filename)
      .update('\0')
      .update(contentName(filename, content, bundle, buildId))
      .digest('hex');
    const file = join(dir, `${buildPrefix(buildId)}-${key}.v8`);
    const cachedData = readCache(file);
    let script: Script;
    try {
      // A `#!` line is allowed only at the very start of a script: inside the wrapper it becomes a comment.
      const source = content.startsWith('#!') ? `//${content.slice(2)}` : content;
      script = new Script(loader.wrap(source), { filename, cachedData });
    } catch (error) {
      // Not CommonJS after all (ES module syntax in a package without a type): node detects and reports it.
      if (error instanceof SyntaxError) return nodeCompile.call(this, content, filename, format);
      throw error;
    }
    if (cachedData === undefined || script.cachedDataRejected === true) pending.push({ script, file });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(
      this.exports,
      this.exports,
      requireOf(this, loader, ofBundle(filename, bundle)),
      this,
      filename,
      dirname(filename),
    );
  };
  process.once('exit', () => writeCaches(pending, buildPrefix(buildId)));
}

/**
 * The packages the bundle carries as one file each beside its chunks (scripts/bundle-cli.mjs), required only when
 * first needed: yaml's own build is ~70 files, which node resolves and loads one by one.
 */
const BUNDLED_PACKAGES: Readonly<Record<string, string>> = { yaml: 'package-yaml.cjs' };

/** A bundle's file requiring one of BUNDLED_PACKAGES gets the bundle's copy, when the build made one. */
function resolveBundledPackages(loader: CommonJsLoader, bundle: string): void {
  const nodeResolve = loader._resolveFilename;
  loader._resolveFilename = function resolveBundled(request, parent, isMain, options) {
    const name = Object.hasOwn(BUNDLED_PACKAGES, request) ? BUNDLED_PACKAGES[request] : undefined;
    const file = name === undefined ? undefined : join(bundle, 'chunks', name);
    const fromBundle = typeof parent?.filename === 'string' && ofBundle(parent.filename, bundle);
    if (file !== undefined && fromBundle && existsSync(file)) return file;
    return nodeResolve.call(this, request, parent, isMain, options);
  };
}

/** The `require` a CommonJS module is handed, as node builds it. */
function requireOf(module: CommonJsModule, loader: CommonJsLoader, inBundle: boolean) {
  const require = (id: string) =>
    inBundle && id.startsWith('./') && id.endsWith('.cjs') ? requireChunk(module, loader, id) : module.require(id);
  const resolve = (request: string, options?: unknown) => loader._resolveFilename(request, module, false, options);
  resolve.paths = (request: string) => loader._resolveLookupPaths(request, module);
  return Object.assign(require, {
    resolve,
    main: process.mainModule,
    extensions: loader._extensions,
    cache: loader._cache,
  });
}

/**
 * A file of the bundle required by another (`./name.cjs`, rolldown's): the file beside it, loaded as node would
 * but without node's resolution (a stat, a realpath walking every folder of the path, the package.json of each
 * folder above for a self-reference), which the bundle's own files never need: about 12 M instructions of a
 * balances' 0.74 G, its thirty chunks (callgrind, 2026-11-27).
 */
function requireChunk(parent: CommonJsModule, loader: CommonJsLoader, id: string): unknown {
  const filename = join(dirname(parent.filename), id);
  const cached = loader._cache[filename];
  if (cached !== undefined) return cached.exports;
  const module = new loader(filename, parent);
  loader._cache[filename] = module;
  let loaded = false;
  try {
    module.load(filename);
    loaded = true;
  } finally {
    if (!loaded) delete loader._cache[filename];
  }
  return module.exports;
}

/** The cache kept for a content, if any: a missing or unreadable file is no cache. */
function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Each pending script's cache, written whole under a temporary name and renamed into place, then the folder pruned
 * of what no later run of this build reads. A cache that cannot be written (a read-only home, a full disk) costs the
 * next start its compile, nothing else: the command has already done its work, so it is not failed for it.
 */
function writeCaches(pending: readonly PendingCache[], build: string): void {
  if (pending.length === 0) return;
  try {
    const dir = dirname(pending[0]!.file);
    mkdirSync(dir, { recursive: true });
    for (const { script, file } of pending) {
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, script.createCachedData());
      renameSync(temporary, file);
    }
    pruneCodeCache(dir, build);
  } catch {
    return;
  }
}

/**
 * The first 16 characters of the bundle's build id, which begin the name of every file the cache keeps for it (the
 * configuration checks' too, config/checked-cache.ts), so another build's files are told by their name alone.
 */
export function buildPrefix(buildId: string | undefined): string {
  return buildId === undefined ? 'unbuilt' : buildId.slice(0, 16);
}

/** Folders of other node versions or flags kept beside this one: the most recently written. */
const KEPT_FOLDERS = 4;
/** A temporary file older than this was left by a process killed between its write and its rename. */
const ABANDONED_MS = 60_000;

/**
 * Keeps only what the current build reads: every rebuild renames its chunks, so without this each build left its
 * files behind (62 MB and 22 folders, one of 3,423 files, after an hour of tests). In `dir`, removes the files of
 * other builds and abandoned temporary files; beside it, all but the KEPT_FOLDERS newest folders of other node
 * versions or flags. Runs only when a run wrote something, so a start that found all it needed pays nothing. A file
 * another process removes first, or one it is writing, is left to it.
 */
function pruneCodeCache(dir: string, build: string, now = Date.now()): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name.endsWith('.tmp') ? now - modifiedMs(path) > ABANDONED_MS : !name.startsWith(`${build}-`))
      rmSync(path, { force: true });
  }
  const root = dirname(dir);
  const others = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.startsWith('code-') && join(root, entry.name) !== dir)
    .map((entry) => ({ path: join(root, entry.name), modified: modifiedMs(join(root, entry.name)) }))
    .sort((a, b) => b.modified - a.modified);
  for (const { path } of others.slice(KEPT_FOLDERS)) rmSync(path, { recursive: true, force: true });
}

/** When a file was last written, or 0 for one already gone. */
function modifiedMs(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
