import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import type { WorldScript } from '../../sandbox/world-script.js';
import { readBooks } from '../support/ledger-engines.js';
import { lockLedger } from '../support/ledger-lock.js';
import { usePostgresServer } from '../support/postgres-server.js';
import { serveInProcess } from '../support/serve-in-process.js';
import { until } from './queued-workers.js';
import {
  PANEL_SOURCE,
  createWorkspace,
  finished,
  proxyListeningUrl,
  setSandboxDay,
  spawnLedgerline,
  startScenarioSandbox,
  type CliResult,
  type Workspace,
} from './scenario-harness.js';

/**
 * `migrate --to` carries the whole ledger, not only the database: a SQLite ledger whose March is closed (its
 * certificate in data/certificates/) and whose panel proxy kept an order in its spool (data/smm-panel.proxy-spool.jsonl)
 * while another process held the file. Moved to PostgreSQL, where both are read from beside the configuration,
 * the next sync books the order (0.90, not to suspense) and the console shows March closed with its certificate.
 * A proxy or a sync started while the copy runs is refused as one already running is.
 */
const SCRIPT: WorldScript = { start: '2026-03-30', panel: { openingBalance: '100.00' } };
const PANEL_KEY = 'sandbox-panel-key';

const { freshDatabase } = usePostgresServer();

describe('migrate --to carries what is kept beside the ledger file', { timeout: 120_000 }, () => {
  let sandbox: RunningSandbox;
  let workspace: Workspace;
  let url: string;
  let spooledOrder: string;

  beforeAll(async () => {
    url = await freshDatabase();
    sandbox = await startScenarioSandbox(SCRIPT);
    workspace = await createWorkspace(sandbox, 'migrate-carries');
    await setSandboxDay(sandbox, '2026-03-30');
    const ran = async (args: string[]) => {
      const run = await workspace.run(args);
      if (run.code !== 0) throw new Error(`ledgerline ${args.join(' ')}: exit ${run.code}: ${run.stderr}${run.stdout}`);
    };
    // Books delivered by CSV export only: March closes with no destination's lock date to read.
    const config = join(workspace.dir, 'ledgerline.yaml');
    const document = parseDocument(readFileSync(config, 'utf8'));
    document.delete('destinations');
    writeFileSync(config, document.toString());
    await ran(['sync', '--source', PANEL_SOURCE, '--as-of', '2026-03-30']);
    await setSandboxDay(sandbox, '2026-04-01');
    await ran(['close', '--period', '2026-03']);
    spooledOrder = await orderKeptInSpool();
  }, 120_000);

  afterAll(async () => {
    await sandbox?.close();
    workspace?.remove();
  });

  /** An order through the proxy while a sqlite3 shell holds the ledger's write lock: the proxy keeps it in its spool. */
  async function orderKeptInSpool(): Promise<string> {
    const proxy = spawnLedgerline(
      workspace.dir,
      ['panel-proxy', '--source', PANEL_SOURCE, '--port', '0'],
      workspace.env,
    );
    const ended = finished(proxy);
    const proxyUrl = await proxyListeningUrl(proxy);
    const lock = await lockLedger(workspace.ledgerPath);
    let reply: { order: number };
    try {
      const body = new URLSearchParams({
        key: PANEL_KEY,
        action: 'add',
        service: '1',
        link: 'https://instagram.com/p/spooled',
        quantity: '1000',
      }).toString();
      reply = (await (
        await fetch(`${proxyUrl}/api/v2`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        })
      ).json()) as { order: number };
    } finally {
      await lock.release();
    }
    proxy.kill('SIGTERM');
    const stopped = await ended;
    if (stopped.code !== 0 || !stopped.stderr.includes('kept in the spool'))
      throw new Error(`the proxy did not spool the order: ${stopped.stderr}`);
    return String(reply.order);
  }

  /** A session on the database holding the ledger tables the copy writes into: the copy waits there until it commits. */
  async function holdTables(): Promise<{ release(): Promise<void> }> {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    await client.connect();
    await client.query('BEGIN');
    await client.query('LOCK TABLE raw_observations, journal_entries IN ACCESS EXCLUSIVE MODE');
    return {
      async release() {
        await client.query('ROLLBACK');
        await client.end();
      },
    };
  }

  /** The database as messages name it: user@host:port/database, no password. */
  function describedUrl(): string {
    const parsed = new URL(url);
    return `${parsed.username}@${parsed.hostname}:${parsed.port}${parsed.pathname}`;
  }

  function startedAt(said: string): string {
    return /, since (\S+)\): /.exec(said)?.[1] ?? 'no time named';
  }

  async function copyWaiting(database: string): Promise<boolean> {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    await client.connect();
    try {
      const waiting = await client.query(
        "SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'",
        [database],
      );
      return (waiting.rowCount ?? 0) > 0;
    } finally {
      await client.end();
    }
  }

  it('refuses a proxy or a sync started while the copy runs (exit 75, naming the move); the move then carries the spool and the certificates, and says so', async () => {
    expect(readdirSync(join(workspace.dir, 'data', 'certificates'))).toEqual(['2026-03.json']);
    const tables = await holdTables();
    let migrate: ChildProcess | undefined;
    let moved: Promise<CliResult> | undefined;
    try {
      migrate = spawnLedgerline(workspace.dir, ['migrate', '--to', url, '--json'], workspace.env);
      moved = finished(migrate);
      await until(() => copyWaiting(new URL(url).pathname.slice(1)), 'migrate --to to be copying');
      const holders = [
        {
          named: `panel-proxy --source ${PANEL_SOURCE}`,
          args: ['panel-proxy', '--source', PANEL_SOURCE, '--port', '0'],
        },
        { named: 'sync', args: ['sync', '--source', PANEL_SOURCE, '--as-of', '2026-03-31'] },
      ];
      for (const { named, args } of holders) {
        const refused = await workspace.run(args);
        expect(refused.code, refused.stderr).toBe(75);
        expect(refused.stderr.trim()).toBe(
          `error: ${workspace.ledgerPath} is being moved to PostgreSQL (migrate --to ${describedUrl()}, pid ${migrate.pid} on ${hostname()}, since ${startedAt(refused.stderr)}): ` +
            `${named} was not started and nothing was done; once the move has finished, set "ledger:" to the URL it printed and start it again`,
        );
      }
    } finally {
      await tables.release();
    }
    const result = await moved;
    expect(result.code, result.stderr).toBe(0);
    const carried = (
      JSON.parse(result.stdout) as { carried: { what: string; from: string; to: string; moved: boolean }[] }
    ).carried;
    const spool = `${PANEL_SOURCE}.proxy-spool.jsonl`;
    expect(carried.map(({ what, from, to, moved: done }) => [what, from, to, done])).toEqual([
      [
        `the panel proxy's spool of ${PANEL_SOURCE}`,
        join(workspace.dir, 'data', spool),
        join(workspace.dir, spool),
        true,
      ],
      [
        'the close certificates',
        join(workspace.dir, 'data', 'certificates'),
        join(workspace.dir, 'certificates'),
        true,
      ],
    ]);
    expect(readFileSync(join(workspace.dir, spool), 'utf8')).toContain(`"orderId":"${spooledOrder}"`);
    expect(readdirSync(join(workspace.dir, 'certificates'))).toEqual(['2026-03.json']);
    expect([
      existsSync(join(workspace.dir, 'data', spool)),
      existsSync(join(workspace.dir, 'data', 'certificates')),
    ]).toEqual([false, false]);
    expect(readdirSync(`${workspace.ledgerPath}.holders`)).toEqual([]);
  });

  it('on PostgreSQL the next sync books the spooled order as a charge, and the console shows March closed with its certificate', async () => {
    const config = join(workspace.dir, 'ledgerline.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace(/^ledger: .*$/m, `ledger: ${url}`));
    const sync = await workspace.run(['sync', '--source', PANEL_SOURCE, '--as-of', '2026-04-01', '--json']);
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stderr).toContain(
      `imported 1 add request(s) and 1 outcome(s) the panel proxy kept in ${join(workspace.dir, `${PANEL_SOURCE}.proxy-spool.jsonl`)}`,
    );
    const orders = await readBooks(url, async (ledger) =>
      (await ledger.rows('orders', 'order_id')).map((row) => (row as { order_id: string }).order_id),
    );
    expect(orders).toContain(spooledOrder);
    const exported = await workspace.run(['export', '--format', 'generic']);
    expect(exported.stdout).toContain(
      `smm_services_expense,0.90,,USD,SMM panel order charges,${PANEL_SOURCE},panel:${PANEL_SOURCE}:order:${spooledOrder}:charge:2026-04-01`,
    );
    expect(exported.stdout).not.toContain('suspense');

    const serve = await serveInProcess(['--port', '0'], { cwd: workspace.dir, env: workspace.env });
    try {
      const html = await (await fetch(new URL('/periods', serve.url))).text();
      expect(html).toMatch(/<tr><td>2026-03<\/td><td>closed<\/td><td>certificate sha256:[0-9a-f]{64}, closed /);
      expect(html).toContain('<h2 id="period-2026-03">2026-03: journals posted</h2><table class="period-journals">');
      expect(html).not.toContain('is missing');
    } finally {
      await serve.stop();
    }
  });
});
