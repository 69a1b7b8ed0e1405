// The trip of one panel night, counted (issue 53 item 10), in a process of its own so that precise coverage
// is on before any module of ours is loaded: the sandbox serves a small panel world from its own process
// (trip-sandbox.mjs), the first sync and a day of new orders are booked uncounted, then the counters are
// reset and one `sync` day (syncPanel: syncSources from its call to its return, the balance unit committed
// inside it) runs with V8 counting every function entry. Prints one JSON line: { files, steps, byFile },
// where a file is one of src/ (dist/src/X.js read as src/X.ts) and a step is one entry of one of its functions.
import { spawn } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import { join, relative, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { writeFileSync } from 'node:fs';

const WORLD_START = '2026-03-01';
const OPEN_DAY = '2026-03-02';
const NIGHT = '2026-03-03';
/** Ten orders placed on OPEN_DAY; on NIGHT four complete, two end Partial, one is canceled and three stay in progress. */
const ORDERS = 10;

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });

const distSrc = join(import.meta.dirname, '..', '..', 'dist', 'src');
const { openLedgerStore, panelConfig, panelScript, syncPanel, tempDir, writeOrdersFile } =
  await import('../support-sync.mjs');

function nightOrders() {
  return Array.from({ length: ORDERS }, (_, index) => {
    const quantity = 1000 + index * 500;
    const night =
      index < 4
        ? { status: 'Completed', remains: 0 }
        : index < 6
          ? { status: 'Partial', remains: quantity / 10 }
          : index < 7
            ? { status: 'Canceled', remains: quantity }
            : { status: 'In progress', remains: quantity / 2 };
    return { id: String(7_000_001 + index), quantity, placedOn: OPEN_DAY, timeline: [{ on: NIGHT, ...night }] };
  });
}

/** The sandbox process: its URLs, and `setToday(date)`, answered once the sandbox has moved. */
async function sandboxProcess(scriptFile) {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'trip-sandbox.mjs'), scriptFile, WORLD_START], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const line = await lines.next();
    if (line.done) throw new Error('the trip sandbox stopped before answering');
    return line.value;
  };
  const urls = JSON.parse(await next());
  return {
    ...urls,
    setToday: async (date) => {
      child.stdin.write(`${date}\n`);
      await next();
    },
    close: () => {
      child.stdin.end();
      return new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** Function entries per src/ file in a precise-coverage take; a module's own top level is not a function entry. */
function tripOf(coverage) {
  const byFile = {};
  for (const script of coverage.result) {
    if (!script.url.startsWith('file:')) continue;
    const path = relative(distSrc, fileURLToPath(script.url));
    if (path.startsWith('..') || !path.endsWith('.js')) continue;
    const file = `src/${path.split(sep).join('/').replace(/\.js$/, '.ts')}`;
    let steps = 0;
    let entered = false;
    for (const fn of script.functions) {
      const count = fn.ranges[0]?.count ?? 0;
      if (count === 0) continue;
      entered = true;
      if (fn.functionName !== '' || fn.ranges[0].startOffset !== 0) steps += count;
    }
    if (entered) byFile[file] = steps;
  }
  const files = Object.keys(byFile).length;
  const steps = Object.values(byFile).reduce((sum, count) => sum + count, 0);
  return { files, steps, byFile };
}

const temp = tempDir();
const scriptFile = join(temp.dir, 'world.json');
const orders = nightOrders();
writeFileSync(scriptFile, JSON.stringify(panelScript(WORLD_START, orders)));
const sandbox = await sandboxProcess(scriptFile);
try {
  const { config, chart } = panelConfig(temp.dir, { panelUrl: sandbox.panelUrl, apiKey: sandbox.panelKey });
  const store = await openLedgerStore(join(temp.dir, 'ledger.sqlite'));
  await syncPanel({ config, chart, store, asOf: WORLD_START });
  await sandbox.setToday(OPEN_DAY);
  await syncPanel({
    config,
    chart,
    store,
    asOf: OPEN_DAY,
    ordersFile: writeOrdersFile(join(temp.dir, 'orders.csv'), orders),
  });
  await sandbox.setToday(NIGHT);
  await session.post('Profiler.takePreciseCoverage');
  const { source } = await syncPanel({ config, chart, store, asOf: NIGHT });
  const trip = tripOf(await session.post('Profiler.takePreciseCoverage'));
  await store.close();
  process.stdout.write(`${JSON.stringify({ ...trip, events: source.events })}\n`);
} finally {
  await session.post('Profiler.stopPreciseCoverage');
  session.disconnect();
  await sandbox.close();
  temp.remove();
}
