import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLedgerlineProcess } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

/** Each cache file under `cacheHome`'s ledgerline folder, with its inode and modification time. */
function cacheFiles(cacheHome: string): Map<string, { ino: number; mtimeMs: number; bytes: Buffer }> {
  const root = join(cacheHome, 'ledgerline');
  const files = new Map<string, { ino: number; mtimeMs: number; bytes: Buffer }>();
  for (const folder of readdirSync(root)) {
    for (const name of readdirSync(join(root, folder))) {
      const path = join(root, folder, name);
      const { ino, mtimeMs } = statSync(path);
      files.set(path, { ino, mtimeMs, bytes: readFileSync(path) });
    }
  }
  return files;
}

/** A script in `dir` that turns the built code cache on (its files under dir/cache), then runs `body` with a `require`. */
function cachedCaller(dir: string, body: string): string {
  const codeCache = resolve(import.meta.dirname, '../../dist/src/runtime/code-cache.js');
  const caller = join(dir, 'caller.mjs');
  writeFileSync(
    caller,
    `import { createRequire } from 'node:module';
import { installCodeCache } from ${JSON.stringify(codeCache)};
installCodeCache(${JSON.stringify(join(dir, 'cache'))});
const require = createRequire(import.meta.url);
${body}
`,
  );
  return caller;
}

describe('the built CLI keeps a V8 code cache of what it compiles', () => {
  const tempDir = useTempDir();
  // `help`, the smallest start that loads the CLI: `--version` is answered before the code cache is turned on.
  const started = async (env: NodeJS.ProcessEnv) => {
    const run = await runLedgerlineProcess(['help'], { cwd: tempDir(), env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Usage: ledgerline <command>');
  };

  it('writes the cache once, reuses it on the next run, and replaces a corrupt file with one it reuses', async () => {
    const env = { XDG_CACHE_HOME: tempDir() };
    await started(env);
    const first = cacheFiles(env.XDG_CACHE_HOME);
    expect(first.size).toBeGreaterThan(0);
    expect([...first.keys()].every((path) => path.endsWith('.v8'))).toBe(true);

    await started(env);
    const second = cacheFiles(env.XDG_CACHE_HOME);
    expect([...second].map(([path, file]) => [path, file.ino, file.mtimeMs])).toEqual(
      [...first].map(([path, file]) => [path, file.ino, file.mtimeMs]),
    );

    const garbage = Buffer.from('not a V8 code cache');
    for (const path of first.keys()) writeFileSync(path, garbage);
    await started(env);
    const replaced = cacheFiles(env.XDG_CACHE_HOME);
    expect([...replaced.keys()]).toEqual([...first.keys()]);
    for (const [path, file] of replaced) expect(file.bytes.equals(garbage), path).toBe(false);
    // The replacement is a cache V8 takes: the run after it leaves it as it is.
    await started(env);
    expect([...cacheFiles(env.XDG_CACHE_HOME)].map(([path, file]) => [path, file.ino, file.mtimeMs])).toEqual(
      [...replaced].map(([path, file]) => [path, file.ino, file.mtimeMs]),
    );
  });

  it('LEDGERLINE_CODE_CACHE=off writes no cache', async () => {
    const env = { XDG_CACHE_HOME: tempDir(), LEDGERLINE_CODE_CACHE: 'off' };
    await started(env);
    expect(existsSync(join(env.XDG_CACHE_HOME, 'ledgerline'))).toBe(false);
  });

  it('keeps a file of the same content at another path under its own path (stack traces, `bindings`)', () => {
    const dir = tempDir();
    const caller = cachedCaller(dir, 'process.stdout.write(require(process.argv[2])());');
    for (const copy of ['a', 'b']) {
      mkdirSync(join(dir, copy));
      writeFileSync(join(dir, copy, 'where.cjs'), 'module.exports = () => new Error().stack.split("\\n")[1];\n');
    }
    const where = (copy: string) =>
      execFileSync(process.execPath, [caller, `./${copy}/where.cjs`], { encoding: 'utf8' });

    expect(where('a')).toContain(join(dir, 'a', 'where.cjs'));
    expect(where('b')).toContain(join(dir, 'b', 'where.cjs'));
    expect(where('b')).toContain(join(dir, 'b', 'where.cjs'));
  });

  it("keeps each file's top level in a cache written after a long run, whose collections flushed what ran once", () => {
    const dir = tempDir();
    const body = (kind: string) =>
      `require('./top.cjs');\n${kind === 'long' ? 'for (let i = 0; i < 20; i += 1) gc();' : ''}`;
    const functions = Array.from({ length: 200 }, (_, i) => `function f${i}(x) { return x * ${i}; }\nf${i}(${i});`);
    writeFileSync(join(dir, 'top.cjs'), `${functions.join('\n')}\nmodule.exports = 1;\n`);
    // Folders of one name length: the cache holds the file's path.
    const cacheBytes = (kind: string, folder: string) => {
      const run = join(dir, folder);
      mkdirSync(run);
      writeFileSync(join(run, 'top.cjs'), readFileSync(join(dir, 'top.cjs')));
      // --stress-flush-code: V8 flushes the bytecode of every function not running at each collection.
      execFileSync(process.execPath, ['--expose-gc', '--stress-flush-code', cachedCaller(run, body(kind))]);
      return readdirSync(join(run, 'cache')).map((name) => statSync(join(run, 'cache', name)).size);
    };

    const short = cacheBytes('short', 'a');
    const long = cacheBytes('long', 'b');
    expect(short).toHaveLength(1);
    expect(long).toEqual(short);
  });

  it('runs a file that imports dynamically on every run, not only the first (Node 20 drops the import callback of a cached script)', () => {
    const dir = tempDir();
    const caller = cachedCaller(dir, "require('./lazy.cjs')().then((line) => process.stdout.write(line));");
    writeFileSync(
      join(dir, 'lazy.cjs'),
      'module.exports = async () => `${typeof (await import("node:os")).cpus}\\n`;\n',
    );
    const run = () => execFileSync(process.execPath, [caller], { encoding: 'utf8', stdio: 'pipe' });
    expect([run(), run(), run()]).toEqual(['function\n', 'function\n', 'function\n']);
  });
});

describe('the code cache keeps only what the current build reads', () => {
  const tempDir = useTempDir();
  const codeCache = resolve(import.meta.dirname, '../../dist/src/runtime/code-cache.js');

  /** A bundle folder of `build` with one chunk, required once through a code cache in `cacheDir`. */
  const runBuild = (root: string, cacheDir: string, build: string) => {
    const bundle = join(root, 'bundle');
    mkdirSync(join(bundle, 'chunks'), { recursive: true });
    writeFileSync(join(bundle, 'build-id'), build);
    writeFileSync(join(bundle, 'chunks', 'part.cjs'), `module.exports = ${JSON.stringify(build)};\n`);
    const caller = join(root, 'caller.mjs');
    writeFileSync(
      caller,
      `import { installCodeCache } from ${JSON.stringify(codeCache)};
import { createRequire } from 'node:module';
installCodeCache(${JSON.stringify(cacheDir)}, ${JSON.stringify(bundle)});
process.stdout.write(createRequire(import.meta.url)(${JSON.stringify(join(bundle, 'chunks', 'part.cjs'))}));
`,
    );
    return execFileSync(process.execPath, [caller], { encoding: 'utf8' });
  };

  it("removes another build's files when a run writes, and keeps every file of its own", () => {
    const root = tempDir();
    const cacheDir = join(root, 'ledgerline', 'code-v20-x64-flags');
    // Each write prunes every other build's files, so two builds after the three show it as well as a hundred did
    // (97 more node starts, about 7 CPU-s).
    const builds = Array.from({ length: 5 }, (_, i) => `${String(i).padStart(4, '0')}${'ab'.repeat(30)}`);
    for (const build of builds.slice(0, 3)) expect(runBuild(root, cacheDir, build)).toBe(build);
    // A configuration check kept by an earlier build, and one by the current build, beside the code.
    writeFileSync(join(cacheDir, `${builds[0]!.slice(0, 16)}-old.checked`), 'x');
    writeFileSync(join(cacheDir, `${builds[2]!.slice(0, 16)}-current.checked`), 'x');
    for (const build of builds.slice(3)) runBuild(root, cacheDir, build);
    const names = readdirSync(cacheDir);
    expect(names.length).toBe(1);
    expect(names[0]!.startsWith(`${builds[4]!.slice(0, 16)}-`)).toBe(true);
    expect(names[0]!.endsWith('.v8')).toBe(true);
  });

  it('keeps the four newest folders of other node versions or flags beside its own', () => {
    const root = tempDir();
    const ledgerline = join(root, 'ledgerline');
    for (let i = 0; i < 10; i += 1) {
      mkdirSync(join(ledgerline, `code-old-${i}`), { recursive: true });
      writeFileSync(join(ledgerline, `code-old-${i}`, 'x.v8'), 'x');
      const at = new Date(Date.UTC(2026, 0, 1 + i));
      utimesSync(join(ledgerline, `code-old-${i}`), at, at);
    }
    runBuild(root, join(ledgerline, 'code-current'), 'c'.repeat(64));
    expect(readdirSync(ledgerline).sort()).toEqual([
      'code-current',
      'code-old-6',
      'code-old-7',
      'code-old-8',
      'code-old-9',
    ]);
  });
});
