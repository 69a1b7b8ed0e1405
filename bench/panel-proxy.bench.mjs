/**
 * The panel proxy's added latency per request: the same `add` and `status`
 * requests sent to the sandbox's panel directly and through the proxy,
 * alternately, in the same run; then again while another process (a sqlite3
 * shell) holds the ledger's write lock, so the proxy keeps its records in the
 * spool. The sandbox runs in its own process; the proxy (with its ledger and
 * spool, as `ledgerline panel-proxy` builds it) and the client run here.
 * Added latency = proxied − direct, at the median and at the 99th percentile.
 * Aim: ≤ 5 ms median, ≤ 20 ms p99 for add and status, locked or not.
 *
 *   npm run build && node bench/run.mjs panel-proxy
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { panelProxyLedger } from '../dist/src/kinds/panel/proxy/panel-proxy-ledger.js';
import { proxySpool } from '../dist/src/kinds/panel/proxy/proxy-spool.js';
import { startPanelProxy } from '../dist/src/kinds/panel/proxy/panel-proxy.js';
import { LedgerStore } from '../dist/src/store/index.js';
import { proxyBooks } from '../dist/src/kinds/panel/books/proxy-books-store.js';
import { panelScript, tempDir } from './support-sync.mjs';
import { sized } from './support/bench-size.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const REQUESTS = sized('BENCH_PROXY_REQUESTS', 300, 30);
const LIMIT_PER_MINUTE = 10_000_000;
const START = '2026-01-01';

async function startSandboxProcess(scriptFile) {
  const child = spawn(
    process.execPath,
    [join(here, 'support', 'sandbox-process.mjs'), scriptFile, String(LIMIT_PER_MINUTE)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [line] = await createInterface({ input: child.stdout })
    [Symbol.asyncIterator]()
    .next()
    .then((next) => [next.value]);
  return { ...JSON.parse(line), stop: () => child.kill('SIGTERM') };
}

/** A sqlite3 shell holding the ledger's write lock (BEGIN IMMEDIATE) until released. */
async function lockLedger(path) {
  const shell = spawn('sqlite3', [path], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => shell.on('close', resolve));
  const locked = new Promise((resolve) =>
    shell.stdout.on('data', (chunk) => String(chunk).includes('locked') && resolve()),
  );
  shell.stdin.write("BEGIN IMMEDIATE;\nSELECT 'locked';\n");
  await locked;
  return async () => {
    shell.stdin.end('ROLLBACK;\n.quit\n');
    await exited;
  };
}

const form = (fields) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

async function timed(url, fields) {
  const started = performance.now();
  const reply = await fetch(url, form(fields));
  const text = await reply.text();
  if (reply.status !== 200) throw new Error(`HTTP ${reply.status}: ${text}`);
  return { ms: performance.now() - started, text };
}

function percentile(values, fraction) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

/** REQUESTS of each action, direct and proxied alternately; the order ids the adds placed feed the status requests. */
async function measure(sandbox, proxyUrl, count = REQUESTS) {
  const key = sandbox.panelKey;
  const times = { add: { direct: [], proxied: [] }, status: { direct: [], proxied: [] } };
  const placed = [];
  for (let n = 0; n < count; n += 1) {
    const add = { key, action: 'add', service: '1', link: 'https://instagram.com/p/bench', quantity: '100' };
    for (const [way, url] of n % 2 === 0
      ? [
          ['direct', sandbox.panelUrl],
          ['proxied', proxyUrl],
        ]
      : [
          ['proxied', proxyUrl],
          ['direct', sandbox.panelUrl],
        ]) {
      const { ms, text } = await timed(url, add);
      times.add[way].push(ms);
      placed.push(JSON.parse(text).order);
    }
  }
  for (let n = 0; n < count; n += 1) {
    const status = { key, action: 'status', order: String(placed[n]) };
    for (const [way, url] of n % 2 === 0
      ? [
          ['direct', sandbox.panelUrl],
          ['proxied', proxyUrl],
        ]
      : [
          ['proxied', proxyUrl],
          ['direct', sandbox.panelUrl],
        ]) {
      times.status[way].push((await timed(url, status)).ms);
    }
  }
  return times;
}

function figures(times, label) {
  const metrics = {};
  for (const action of ['add', 'status']) {
    const { direct, proxied } = times[action];
    const [dm, pm, d99, p99] = [
      percentile(direct, 0.5),
      percentile(proxied, 0.5),
      percentile(direct, 0.99),
      percentile(proxied, 0.99),
    ];
    metrics[`${label} ${action}: direct median / p99 ms`] = `${dm.toFixed(2)} / ${d99.toFixed(2)}`;
    metrics[`${label} ${action}: proxied median / p99 ms`] = `${pm.toFixed(2)} / ${p99.toFixed(2)}`;
    metrics[`${label} ${action}: added median / p99 ms (aim ≤ 5 / ≤ 20)`] =
      `${(pm - dm).toFixed(2)} / ${(p99 - d99).toFixed(2)}`;
  }
  return metrics;
}

export async function run() {
  const temp = tempDir();
  const scriptFile = join(temp.dir, 'world.json');
  writeFileSync(scriptFile, JSON.stringify({ ...panelScript(START, []), panel: { openingBalance: '100000000.00' } }));
  const sandbox = await startSandboxProcess(scriptFile);
  const ledgerPath = join(temp.dir, 'ledger.sqlite');
  const store = await LedgerStore.open(ledgerPath, { lockWaitMs: 0 });
  const spool = proxySpool(join(temp.dir, 'smm-panel.proxy-spool.jsonl'));
  const silent = { debug() {}, info() {}, warn() {}, error() {} };
  const proxy = await startPanelProxy({
    sourceId: 'smm-panel',
    url: sandbox.panelUrl,
    apiKey: sandbox.panelKey,
    ledger: panelProxyLedger(proxyBooks(store), {
      sourceId: 'smm-panel',
      timezone: 'UTC',
      now: () => new Date(),
      spool,
    }),
    host: '127.0.0.1',
    port: 0,
    requestTime: async () => new Date(),
    clock: () => new Date(),
    logger: silent,
  });
  try {
    // Warm both paths (connections, statements, the sandbox's add) before measuring; the figures are the second round's.
    await measure(sandbox, `${proxy.url}/api/v2`, 100);
    const free = await measure(sandbox, `${proxy.url}/api/v2`);
    const release = await lockLedger(ledgerPath);
    let locked;
    try {
      locked = await measure(sandbox, `${proxy.url}/api/v2`);
    } finally {
      await release();
    }
    const kept = store.sqlite
      .prepare('SELECT (SELECT count(*) FROM add_requests) AS requests, (SELECT count(*) FROM orders) AS orders')
      .get();
    return {
      name: 'panel-proxy',
      metrics: {
        requests_per_action_and_way: REQUESTS,
        ...figures(free, 'ledger free'),
        ...figures(locked, 'ledger locked'),
        'adds kept in the ledger (the locked ones are in the spool)': `${kept.requests} requests, ${kept.orders} orders`,
        'load average (1 min) at the end': loadavg()[0].toFixed(1),
      },
    };
  } finally {
    await proxy.close();
    await store.close();
    sandbox.stop();
    temp.remove();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await run());
