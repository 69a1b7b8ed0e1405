import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runLedgerline, runLedgerlineProcess } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * Names every file the process loads on stderr (registered before the CLI loads): ES modules through Node's module
 * hooks, CommonJS files (the CLI's bundle is CommonJS, for its code cache) through the CommonJS loader's `load`.
 */
const LOAD_LOGGER = `import Module, { register } from 'node:module';
import { pathToFileURL } from 'node:url';
register('data:text/javascript,export async function load(url, context, next) { if (url.startsWith("file:")) process.stderr.write("loaded " + url + "\\\\n"); return next(url, context); }');
const load = Module.prototype.load;
Module.prototype.load = function (filename) {
  process.stderr.write('loaded ' + pathToFileURL(filename).href + '\\n');
  return load.call(this, filename);
};
`;

/**
 * Runs the built CLI in `dir` with LOAD_LOGGER registered: its result, and every file the process loaded, in order.
 */
async function runLoggingLoads(
  dir: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ run: Awaited<ReturnType<typeof runLedgerlineProcess>>; loaded: string[] }> {
  const logger = join(dir, 'load-logger.mjs');
  writeFileSync(logger, LOAD_LOGGER);
  const run = await runLedgerlineProcess(args, { cwd: dir, env: { NODE_OPTIONS: `--import=${logger}`, ...env } });
  const loaded = [...run.stderr.matchAll(/^loaded (file:\S+)$/gm)].map((match) => fileURLToPath(match[1]!));
  return { run, loaded };
}

/** What only a sync, a backfill, doctor or a migration calls: each source kind's client, close and replay, the pipelines running them, the migrations. */
const RUNTIME_ONLY = [
  'function createPanelClient(',
  'function syncPanelClose(',
  'function replayPanelCloses(',
  'function createPayelancerClient(',
  'function syncPayelancerClose(',
  'function replayPayelancerCloses(',
  'function loadChunkedDay(',
  'function planClose(',
  'function backfillWindow(',
  'function planSourceReplay(',
  // The migrations' code: opening a current ledger counts their names (migrations/names.ts), it runs none.
  'function upPostgres',
  // csv-parse: a sources table is read only when the configuration's check is not kept.
  'class CsvError',
];

describe('a command that reads the books starts without the sources', () => {
  const tempDir = useTempDir();

  /**
   * `balances` on a fresh init, its loads logged: one run, read by the two tests that ask what it loads (a process
   * start with the load logger each, otherwise).
   */
  let balancesRun: ReturnType<typeof runLoggingLoads> | undefined;
  const balancesOnFreshInit = (): ReturnType<typeof runLoggingLoads> =>
    (balancesRun ??= (async () => {
      const dir = tempDir();
      expect((await runLedgerline(['init', '--sandbox-url', 'http://127.0.0.1:9'], { cwd: dir })).code).toBe(0);
      return runLoggingLoads(dir, ['balances']);
    })());

  it('balances loads no source client, close or replay, no sync or backfill, no migration, not undici and not node-cron', async () => {
    const { run, loaded } = await balancesOnFreshInit();

    expect(run.code, run.stderr).toBe(0);
    // The ledger was opened: better-sqlite3's addon (its JavaScript is in the bundle, scripts/bundle-cli.mjs).
    expect(loaded.some((file) => file.endsWith('/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
    expect(loaded.filter((file) => file.includes('/node_modules/better-sqlite3/lib/'))).toEqual([]);
    expect(loaded.filter((file) => file.includes('/node_modules/undici/'))).toEqual([]);
    // init's file has a schedule: a command that only reads does not load the scheduler's package to check its cron.
    expect(loaded.filter((file) => file.includes('/node_modules/node-cron/'))).toEqual([]);
    const ours = loaded.filter((file) => file.includes('/dist/'));
    const reached = ours.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return RUNTIME_ONLY.filter((definition) => text.includes(definition)).map(
        (definition) => `${definition} in ${file}`,
      );
    });
    expect(reached).toEqual([]);
    // The bundle is ASCII (scripts/bundle-cli.mjs): one other character makes V8 keep a whole file's text as two bytes a character.
    const bundled = ours.filter((file) => file.endsWith('.cjs'));
    expect(bundled.length).toBeGreaterThan(0);
    expect(bundled.filter((file) => /[^\x00-\x7f]/.test(readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('balances loads no kysely: its reads are prepared statements, and no store module it loads builds a statement with it', async () => {
    const { run, loaded } = await balancesOnFreshInit();

    expect(run.code, run.stderr).toBe(0);
    expect(loaded.filter((file) => file.includes('/node_modules/kysely/'))).toEqual([]);
    const kysely = ['var Kysely = class Kysely', 'var RawBuilderImpl = class', 'var SqliteDialect = class'];
    const reached = loaded
      .filter((file) => file.includes('/dist/'))
      .flatMap((file) => kysely.filter((definition) => readFileSync(file, 'utf8').includes(definition)));
    expect(reached).toEqual([]);
  });

  it("balances parses its files with the bundle's one-file yaml, and loads no yaml once their checks are kept", async () => {
    const dir = tempDir();
    expect((await runLedgerline(['init', '--sandbox-url', 'http://127.0.0.1:9'], { cwd: dir })).code).toBe(0);
    const yamlLoaded = async () => {
      const { run, loaded } = await runLoggingLoads(dir, ['balances'], { XDG_CACHE_HOME: join(dir, 'cache') });
      expect(run.code, run.stderr).toBe(0);
      return loaded.filter((file) => /yaml/.test(file)).map((file) => file.replace(/.*\/(dist|node_modules)\//, '$1/'));
    };

    // A fresh cache: the configuration and the chart are parsed, and their checks kept (config/checked-cache.ts).
    expect(await yamlLoaded()).toEqual(['dist/src/cli/chunks/package-yaml.cjs']);
    expect(await yamlLoaded()).toEqual([]);
  });

  it('report, export and verify only read the books: none loads node-cron to check the schedule init wrote', async () => {
    const dir = tempDir();
    expect((await runLedgerline(['init', '--sandbox-url', 'http://127.0.0.1:9'], { cwd: dir })).code).toBe(0);
    const commands = [
      ['report', '--out', 'report.html'],
      ['export', '--format', 'generic', '--out', 'books.csv'],
      ['verify'],
    ];

    for (const args of commands) {
      const { run, loaded } = await runLoggingLoads(dir, args);
      expect(run.code, `${args[0]}: ${run.stderr}`).toBe(0);
      expect(
        loaded.filter((file) => file.includes('/node_modules/node-cron/')),
        args[0],
      ).toEqual([]);
    }
  });

  it('status --json loads neither the fleet view nor the exception queue: their reads and schemas wait for their flags', async () => {
    const dir = tempDir();
    expect((await runLedgerline(['init', '--sandbox-url', 'http://127.0.0.1:9'], { cwd: dir })).code).toBe(0);

    const { run, loaded } = await runLoggingLoads(dir, ['status', '--json']);

    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveProperty('integrity', 'ok');
    const reached = loaded
      .filter((file) => file.includes('/dist/'))
      .flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        return [
          'async function readFleet(',
          'function exceptionsOf(',
          'const FleetViewSchema =',
          'const ExceptionQueueSchema =',
        ].filter((definition) => text.includes(definition));
      });
    expect(reached).toEqual([]);
  });

  it('--version loads main.js and the flag check alone: not the code cache, the bundle or the configuration', async () => {
    const dir = tempDir();

    const { run, loaded } = await runLoggingLoads(dir, ['--version']);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    // main.js is a link to main.cjs, the bundle's entry (scripts/bundle-cli.mjs): its chunks are named without their hash.
    const ours = loaded
      .filter((file) => file.includes('/dist/'))
      .map((file) => file.replace(/.*\/dist\//, '').replace(/-[\w-]{8}\.cjs$/, '.cjs'));
    expect([...new Set(ours)]).toEqual([
      'src/cli/main.cjs',
      'src/cli/chunks/rolldown-runtime.cjs',
      'src/cli/chunks/version-flag.cjs',
    ]);
  });

  it('report of books without sources reads no fleet and loads neither the status read nor the posting side', async () => {
    const dir = tempDir();
    expect((await runLedgerline(['init', '--sandbox-url', 'http://127.0.0.1:9'], { cwd: dir })).code).toBe(0);
    // The same ledger, its configuration without sources or destinations: nothing to list in a fleet table.
    writeFileSync(join(dir, 'ledgerline.yaml'), 'ledger: ./ledger.sqlite\ntimezone: UTC\ncurrency: USD\n');
    // A command that only reads never creates the ledger (issue 72): migrate does.
    expect((await runLedgerline(['migrate'], { cwd: dir })).code).toBe(0);

    const { run, loaded } = await runLoggingLoads(dir, ['report', '--out', 'report.html']);

    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('no sources configured');
    const reached = loaded
      .filter((file) => file.includes('/dist/'))
      .flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        return ['async function readStatusFacts(', 'async function readTransitDocuments('].filter((definition) =>
          text.includes(definition),
        );
      });
    expect(reached).toEqual([]);
  });
});
