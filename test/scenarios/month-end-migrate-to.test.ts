import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import { usePostgresServer } from '../support/postgres-server.js';
import { builtWorld } from '../support/built-worlds.js';
import { MONTH_END, MONTH_END_CLOSES, MONTH_END_WORLD } from './month-end-world.js';
import { setSandboxDay, startScenarioSandbox, type Workspace } from './scenario-harness.js';

const { server, freshDatabase, emptyDatabase } = usePostgresServer();

interface MoveJson {
  kept: boolean;
  tables: { table: string; sqlite: string; postgres: string }[];
  trialBalance: {
    account: string;
    currency: string;
    sqlite: { debitMicros: string; creditMicros: string };
    postgres: { debitMicros: string; creditMicros: string };
  }[];
  entries: { sqlite: number; postgres: number; sqliteDigest: string; postgresDigest: string };
  differences: string[];
  differenceCount: number;
}

/** A digest of every row of every table of the SQLite ledger but its identity row, by table. */
function ledgerRows(path: string): Record<string, string> {
  const sqlite = new Database(path, { readonly: true });
  try {
    const tables = sqlite
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'ledger_identity' ORDER BY name",
      )
      .all() as { name: string }[];
    const digests: Record<string, string> = {};
    for (const { name } of tables) {
      const rows = (sqlite.prepare(`SELECT * FROM "${name}"`).raw().all() as unknown[][])
        .map((row) => JSON.stringify(row))
        .sort();
      digests[name] = createHash('sha256').update(rows.join('\n')).digest('hex');
    }
    return digests;
  } finally {
    sqlite.close();
  }
}

function identityRow(path: string): Record<string, unknown> {
  const sqlite = new Database(path, { readonly: true });
  try {
    return sqlite.prepare('SELECT id, created_at, moved_to, moved_at FROM ledger_identity').get() as Record<
      string,
      unknown
    >;
  } finally {
    sqlite.close();
  }
}

/** Rows in every table of the database, by name: what "left untouched" is checked against. */
async function rowCounts(url: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    );
    const counts: Record<string, string> = {};
    for (const { name } of tables.rows)
      counts[name] = (
        await client.query<{ n: string }>(`SELECT COUNT(*)::text AS n FROM ${pg.escapeIdentifier(name)}`)
      ).rows[0]!.n;
    return counts;
  } finally {
    await client.end();
  }
}

/**
 * The month-end scenario synced day by day into a SQLite ledger, then moved with `migrate --to` into a
 * PostgreSQL database: the proof holds, the file changes only by its seal (writers refuse it from then
 * on), and every read command gives the same bytes from either ledger.
 */
describe('migrate --to moves the month-end ledger from SQLite into PostgreSQL', { timeout: 60_000 }, () => {
  let sandbox: RunningSandbox;
  let workspace: Workspace;
  let url: string;
  let rowsBefore: Record<string, string>;
  let identityBefore: Record<string, unknown>;
  let move: { code: number | null; stdout: string; stderr: string };
  const postgresConfig = 'ledgerline-postgres.yaml';

  beforeAll(async () => {
    url = await freshDatabase();
    // The month end synced once per test run (test/support/built-worlds.ts), copied here.
    const world = await builtWorld(MONTH_END);
    for (const night of world.nights)
      if (night.code !== 0 && night.code !== 1)
        throw new Error(`sync ${night.day}: exit ${night.code}: ${night.stderr}`);
    sandbox = await startScenarioSandbox(MONTH_END_WORLD);
    await setSandboxDay(sandbox, MONTH_END_CLOSES.at(-1)!);
    workspace = world.copyFor(sandbox, 'month-end-migrate-to');
    const config = readFileSync(join(workspace.dir, 'ledgerline.yaml'), 'utf8');
    writeFileSync(join(workspace.dir, postgresConfig), config.replace(/^ledger: .*$/m, `ledger: ${url}`));
    rowsBefore = ledgerRows(workspace.ledgerPath);
    identityBefore = identityRow(workspace.ledgerPath);
    move = await workspace.run(['migrate', '--to', url, '--json']);
  }, 240_000);

  afterAll(async () => {
    await sandbox?.close();
    workspace?.remove();
  });

  it('proves the copy: equal row counts in every table, the same trial balance and every entry content hash', () => {
    expect(move.stderr).toBe('');
    expect(move.code).toBe(0);
    const proof = JSON.parse(move.stdout) as MoveJson;
    expect(proof.kept).toBe(true);
    expect(proof.differences).toEqual([]);
    expect(proof.differenceCount).toBe(0);
    for (const row of proof.tables) expect(row.postgres, row.table).toBe(row.sqlite);
    const rows = Object.fromEntries(proof.tables.map((row) => [row.table, Number(row.sqlite)]));
    expect(rows.journal_entries).toBeGreaterThan(30);
    expect(rows.journal_lines).toBeGreaterThan(rows.journal_entries! * 2 - 1);
    expect(rows.raw_observations).toBeGreaterThan(0);
    expect(rows.runs).toBe(MONTH_END_CLOSES.length);
    expect(proof.trialBalance.length).toBeGreaterThan(3);
    for (const row of proof.trialBalance) expect(row.postgres, `${row.account} ${row.currency}`).toEqual(row.sqlite);
    expect(proof.entries.postgres).toBe(rows.journal_entries);
    expect(proof.entries.sqlite).toBe(rows.journal_entries);
    expect(proof.entries.postgresDigest).toBe(proof.entries.sqliteDigest);
  });

  it('changes nothing in the SQLite ledger but its seal: every other table holds what it held, and the seal names the database without its password', () => {
    expect(ledgerRows(workspace.ledgerPath)).toEqual(rowsBefore);
    const parsed = new URL(url);
    expect(identityRow(workspace.ledgerPath)).toEqual({
      ...identityBefore,
      moved_to: `postgres://${parsed.username}@127.0.0.1:${parsed.port}${parsed.pathname}`,
      moved_at: expect.any(String),
    });
  });

  it('a sync on the sealed file (an old cron) refuses with exit 2 naming where the ledger went, and books nothing', async () => {
    const run = await workspace.run(['sync', '--as-of', MONTH_END_CLOSES.at(-1)!]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^error: the ledger .* is sealed: it was moved to postgres:\/\/.* takes no more writes/m,
    );
    expect(ledgerRows(workspace.ledgerPath)).toEqual(rowsBefore);
  });

  it.each(
    [
      ['export', '--format', 'generic'],
      ['export', '--format', 'xero'],
      ['export', '--format', 'quickbooks'],
      ['reconcile', '--as-of', '2026-04-30', '--json'],
    ].map((args) => [args.join(' '), args] as const),
  )('gives the same bytes for `%s` from the PostgreSQL ledger as from the SQLite one', async (_name, args) => {
    const fromSqlite = await workspace.run(args);
    const fromPostgres = await workspace.run(['--config', postgresConfig, ...args]);
    expect(fromPostgres.stderr).not.toMatch(/error/i);
    expect(fromPostgres.code).toBe(fromSqlite.code);
    expect(fromSqlite.stdout.length).toBeGreaterThan(200);
    expect(fromPostgres.stdout).toBe(fromSqlite.stdout);
  });

  it('numbers the next row of each copied table after the copied ones', async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    await client.connect();
    try {
      await client.query('BEGIN');
      const highest = (await client.query<{ id: string }>('SELECT MAX(id)::text AS id FROM raw_observations')).rows[0]!
        .id;
      const next = await client.query<{ id: string }>(
        "INSERT INTO raw_observations (source_id, action, request, as_of, fetched_at, http_status, body, content_hash) VALUES ('s', 'a', 'r', '2026-05-01', 't', 200, 'b', 'h') RETURNING id::text",
      );
      expect(BigInt(next.rows[0]!.id)).toBe(BigInt(highest) + 1n);
    } finally {
      await client.query('ROLLBACK');
      await client.end();
    }
  });

  it('refuses to copy into a database that already holds a ledger, naming it without its password, and leaves it as it was', async () => {
    const before = await rowCounts(url);
    const again = await workspace.run(['migrate', '--to', url]);
    expect(again.code).toBe(2);
    expect(again.stdout).toBe('');
    const database = new URL(url).pathname;
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toContain(
      `the PostgreSQL database ${server().user}@127.0.0.1:${server().port}${database} already holds a ledger (rows in raw_observations`,
    );
    expect(again.stderr).not.toContain(server().password);
    expect(await rowCounts(url)).toEqual(before);
  });

  it('reports a wrong password without the password, and copies nothing', async () => {
    const empty = await emptyDatabase();
    const wrong = new URL(empty);
    wrong.password = 'not-the-password-9f3';
    const run = await workspace.run(['migrate', '--to', wrong.toString()]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      `cannot connect to the PostgreSQL ledger ${server().user}@127.0.0.1:${server().port}${new URL(empty).pathname}: `,
    );
    expect(run.stdout + run.stderr).not.toContain('not-the-password-9f3');
    expect(run.stdout + run.stderr).not.toContain(server().password);
    expect(await rowCounts(empty)).toEqual({});
  });
});
