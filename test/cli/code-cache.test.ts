import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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
  const codeCache = resolve(import.meta.dirname, '../../dist/src/cli/code-cache.js');
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
