import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { runLedgerline } from '../support/cli.js';
import { usePostgresServer } from '../support/postgres-server.js';
import { useTempDir } from '../support/temp-dir.js';
import { openBooks } from '../support/books.js';

const { server, freshDatabase } = usePostgresServer();
const tempDir = useTempDir();

/** A folder with a configuration whose SQLite ledger holds one entry. */
async function ledgerFolder(): Promise<string> {
  const dir = tempDir();
  writeFileSync(join(dir, 'ledgerline.yaml'), 'ledger: ./ledger.sqlite\ntimezone: UTC\ncurrency: USD\n');
  const ledgerBooks = await openBooks(join(dir, 'ledger.sqlite'));
  try {
    await ledgerBooks.ledger.appendEntry(
      {
        id: 'je:smm-panel:2026-03-01',
        date: '2026-03-01',
        sourceId: 'smm-panel',
        description: 'opening balance',
        eventIds: [],
        lines: [
          { account: 'panel_prepaid', currency: 'USD', amountMicros: 250_000_000n },
          { account: 'opening_balance_equity', currency: 'USD', amountMicros: -250_000_000n },
        ],
      },
      { now: new Date('2026-03-02T00:00:00Z') },
    );
  } finally {
    await ledgerBooks.close();
  }
  return dir;
}

/** The URL without its password: the CLI takes it from PGPASSWORD, as the README advises. */
function withoutPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  return parsed.toString();
}

describe('ledgerline migrate --to', () => {
  it('prints the proof, table by table, the trial balance and the entries digest on both sides, and how to use the new ledger', async () => {
    const dir = await ledgerFolder();
    const url = await freshDatabase();
    const run = await runLedgerline(['migrate', '--to', withoutPassword(url)], {
      cwd: dir,
      env: { PGPASSWORD: server().password },
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const target = `${server().user}@127.0.0.1:${server().port}${new URL(url).pathname}`;
    expect(run.stdout).toContain(`copied ${join(dir, 'ledger.sqlite')} into ${target}; both sides read alike:`);
    expect(run.stdout).toMatch(/^ {2}journal_entries +1 +1$/m);
    expect(run.stdout).toMatch(/^ {2}journal_lines +2 +2$/m);
    expect(run.stdout).toContain('  panel_prepaid USD: 250.00 / 0.00 | 250.00 / 0.00\n');
    expect(run.stdout).toMatch(/^entries: 1 in SQLite, 1 in PostgreSQL; .*\n {2}([0-9a-f]{64}) \| \1$/m);
    expect(run.stdout).toContain(`set "ledger: postgres://${target}"`);
    expect(run.stdout).toContain(
      'is sealed: its books are unchanged and still readable, and every command that writes now refuses it',
    );
    expect(run.stdout).not.toContain('differs');
  });

  it(
    'seals the file it copied: every command that writes refuses it (exit 2, one line naming where it went, no password), reading commands work and say so',
    { timeout: 120_000 },
    async () => {
      const dir = await ledgerFolder();
      // A panel source and a Xero destination nothing listens for: a refusal must come before any is contacted.
      appendFileSync(
        join(dir, 'ledgerline.yaml'),
        'sources:\n  - id: smm-panel\n    kind: panel\n    url: http://127.0.0.1:9/api/v2\n    apiKey: ${PANEL_KEY}\n' +
          'destinations:\n  xero:\n    tenantId: "t"\n    clientId: cid\n    clientSecret: ${XERO_SECRET}\n    apiUrl: http://127.0.0.1:9/api.xro/2.0\n    tokenUrl: http://127.0.0.1:9/connect/token\n',
      );
      const url = await freshDatabase();
      const env = { PANEL_KEY: 'panel-key-value', XERO_SECRET: 'xero-secret-value' };
      const moved = await runLedgerline(['migrate', '--to', withoutPassword(url)], {
        cwd: dir,
        env: { ...env, PGPASSWORD: server().password },
      });
      expect({ code: moved.code, stderr: moved.stderr }).toEqual({ code: 0, stderr: '' });
      const target = `postgres://${server().user}@127.0.0.1:${server().port}${new URL(url).pathname}`;

      const writers = [
        ['sync', '--as-of', '2026-03-02'],
        ['post', 'xero'],
        ['reconcile', 'ack', 'finding:x', '--note', 'seen'],
        ['panel-proxy', '--source', 'smm-panel', '--port', '0'],
        ['migrate'],
      ];
      for (const args of writers) {
        const run = await runLedgerline([...args, '--log-level', 'error'], { cwd: dir, env });
        expect({ args, code: run.code, stderr: run.stderr }).toEqual({
          args,
          code: 2,
          stderr: expect.stringMatching(
            new RegExp(
              `^error: the ledger .*ledger\\.sqlite is sealed: it was moved to ${target.replace(/[.]/g, '\\.')} on \\d{4}-.*; set "ledger:" to that URL.*\n$`,
            ),
          ),
        });
        expect(run.stderr).not.toContain(server().password);
      }

      for (const args of [
        ['export', '--format', 'generic'],
        ['balances'],
        ['status'],
        ['reconcile'],
        ['report', '--out', join(dir, 'report.html')],
      ]) {
        const run = await runLedgerline(args, { cwd: dir, env });
        expect({ args, code: run.code }).toEqual({ args, code: 0 });
        expect(run.stderr).toContain(
          `note: the ledger ${join(dir, 'ledger.sqlite')} is sealed: it was moved to ${target}`,
        );
      }
      const exported = await runLedgerline(['export', '--format', 'generic'], { cwd: dir, env });
      expect(exported.stdout).toContain('je:smm-panel:2026-03-01');
    },
  );

  it('fails with exit 3 and lists the differences when the database changes what it is given, keeping nothing', async () => {
    const dir = await ledgerFolder();
    const url = await freshDatabase();
    await (await openBooks(url)).close();
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    await client.connect();
    try {
      await client.query(
        `CREATE FUNCTION shift_line() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.account := NEW.account || '_x'; RETURN NEW; END $$`,
      );
      await client.query(
        'CREATE TRIGGER a_shift_line BEFORE INSERT ON journal_lines FOR EACH ROW EXECUTE FUNCTION shift_line()',
      );
      const run = await runLedgerline(['migrate', '--to', url], { cwd: dir });
      expect(run.code).toBe(3);
      expect(run.stdout).toContain('panel_prepaid USD: 250.00 / 0.00 | 0.00 / 0.00   ← differs');
      expect(run.stdout).toContain('  - entry je:smm-panel:2026-03-01: its lines hash to ');
      expect(run.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(
          /differs from it \(5 difference\(s\); first: trial balance .*; it was rolled back and nothing was kept$/,
        ),
      ]);
      expect(run.stdout + run.stderr).not.toContain(server().password);
      expect((await client.query('SELECT COUNT(*)::int AS n FROM journal_lines')).rows[0]).toEqual({ n: 0 });
    } finally {
      await client.end();
    }
  });
});
