import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../../cli/schedule-harness.js';
import { runLedgerline } from '../../support/cli.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../../support/ledger-engines.js';
import { useTempDir } from '../../support/temp-dir.js';
import { copyWorld, pointAt, tamperingWorld, tamperPostgres, tamperSqlite } from '../../support/tampering-world.js';
import { TAMPERING_CASES } from './tampering-cases.js';

const tempDir = useTempDir('ledgerline-tamper-');
const engines = useLedgerEngines();
let world: string;

beforeAll(async () => {
  world = await tamperingWorld(tempDir());
}, 600_000);

describe('verify over a synced, posted and closed ledger', () => {
  it('names nothing when nothing was touched: the chain and the seals verified, exit 0', async () => {
    const run = await runLedgerline(['verify', '--json'], { cwd: copyWorld(world, tempDir()) });
    expect(run.code, run.stdout).toBe(0);
    const report = JSON.parse(run.stdout) as {
      verified: boolean;
      tables: { findings: unknown[]; head: { position: number } };
    };
    expect(report.verified).toBe(true);
    expect(report.tables.findings).toEqual([]);
    expect(report.tables.head.position).toBeGreaterThan(150);
  });
});

describe('verify names each kind of tampering with a SQLite file (triggers dropped)', () => {
  for (const tampering of TAMPERING_CASES) {
    it(tampering.kind, async () => {
      const dir = copyWorld(world, tempDir());
      tamperSqlite(dir, tampering.sql);
      const run = await runLedgerline(['verify'], { cwd: dir });
      expect(run.code, run.stdout + run.stderr).toBe(1);
      for (const line of tampering.names) expect(run.stdout).toContain(line);
    });
  }
});

describe.skipIf(!LEDGER_ENGINES.includes('postgres'))(
  'verify names the main kinds of tampering on PostgreSQL (ALTER TABLE … DISABLE TRIGGER)',
  () => {
    let moved: { dir: string; url: string };
    beforeAll(async () => {
      const dir = copyWorld(world, tempDir());
      const url = (await engines.fresh('postgres'))!;
      const move = await runLedgerline(['migrate', '--to', url], { cwd: dir });
      expect(move.code, move.stdout + move.stderr).toBe(0);
      // migrate --to carries the certificates to where a PostgreSQL ledger keeps them, beside the configuration.
      expect(existsSync(join(dir, 'certificates', '2026-03.json'))).toBe(true);
      moved = { dir, url };
    }, 120_000);

    it('names nothing when nothing was touched', async () => {
      const dir = copyWorld(moved.dir, tempDir());
      pointAt(dir, (await engines.copy(moved.url))!);
      const run = await runLedgerline(['verify'], { cwd: dir });
      expect(run.code, run.stdout + run.stderr).toBe(0);
    });

    for (const tampering of TAMPERING_CASES.filter((one) => one.postgres === true)) {
      it(tampering.kind, async () => {
        const dir = copyWorld(moved.dir, tempDir());
        const url = (await engines.copy(moved.url))!;
        pointAt(dir, url);
        await tamperPostgres(url, tampering.sql);
        const run = await runLedgerline(['verify'], { cwd: dir });
        expect(run.code, run.stdout + run.stderr).toBe(1);
        for (const line of tampering.names) expect(run.stdout).toContain(line);
      });
    }
  },
);

describe('ledgerline evidence over a raw reply changed behind the database', () => {
  it('refuses to ship a body whose hash differs from the one stored when it landed, naming the reply and both hashes (exit 3, no file)', async () => {
    const dir = copyWorld(world, tempDir());
    const shipped = await runLedgerline(['evidence', 'je:smm-panel:2026-03-12', '--out', 'before.zip'], { cwd: dir });
    expect(shipped.code, shipped.stderr).toBe(0);
    const stored = createHash('sha256').update(readBody(dir, 10)).digest('hex');
    tamperSqlite(dir, "UPDATE raw_observations SET body = replace(body, '2', '3') WHERE id = 10");
    const given = createHash('sha256').update(readBody(dir, 10)).digest('hex');

    const refused = await runLedgerline(['evidence', 'je:smm-panel:2026-03-12', '--out', 'after.zip'], { cwd: dir });

    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(
      `the evidence of entry je:smm-panel:2026-03-12 is refused: raw reply 10 was changed after it landed (stored sha256 ${stored}, its body now gives ${given})`,
    );
    expect(existsSync(join(dir, 'after.zip'))).toBe(false);
  });
});

function readBody(dir: string, id: number): string {
  const raw = new Database(join(dir, 'data', 'ledger.sqlite'), { readonly: true });
  try {
    return (raw.prepare('SELECT body FROM raw_observations WHERE id = ?').get(id) as { body: string }).body;
  } finally {
    raw.close();
  }
}

describe('the scheduled night over a ledger tampered with after the close', () => {
  it('alerts what verify names: an acknowledgement deleted is named, not only its item reopened', async () => {
    const dir = copyWorld(world, tempDir());
    appendFileSync(
      join(dir, 'ledgerline.yaml'),
      'schedule: { cron: "30 2 * * *", timezone: UTC, post: [] }\nalerts: { command: "cat >> alerts.json" }\n',
    );
    tamperSqlite(dir, 'DELETE FROM acknowledgements WHERE id = 2');

    const night = await runInProcess(['schedule', '--once'], {
      cwd: dir,
      env: { HOME: process.env.HOME ?? '' },
      now: () => new Date('2026-05-01T02:30:00.000Z'),
    });

    expect(night.code, night.stderr).toBe(1);
    const alerted = readFileSync(join(dir, 'alerts.json'), 'utf8');
    expect(alerted).toContain('"kind":"row_deleted"');
    expect(alerted).toContain('acknowledgement [\\"2\\"] (acknowledgements) was deleted: its seal 152 remains');
  });

  it("names rows sealed after the last close and deleted with their seals, against the seals' head the last night kept", async () => {
    const dir = copyWorld(world, tempDir());
    appendFileSync(
      join(dir, 'ledgerline.yaml'),
      'schedule: { cron: "30 2 * * *", timezone: UTC, post: [] }\nalerts: { command: "cat >> alerts.json" }\n',
    );
    const night = (day: string) =>
      runInProcess(['schedule', '--once'], {
        cwd: dir,
        env: { HOME: process.env.HOME ?? '' },
        now: () => new Date(`${day}T02:30:00.000Z`),
      });
    await night('2026-05-01');
    const before = newestSeal(dir);
    const booked = await runLedgerline(
      [
        'adjust',
        '--date',
        '2026-04-30',
        '--debit',
        'bank_fees=0.50',
        '--credit',
        'suspense=0.50',
        '--reason',
        'a second fee on the April statement',
        '--id',
        'fee-2',
      ],
      { cwd: dir },
    );
    expect(booked.code, booked.stdout + booked.stderr).toBe(0);
    expect(newestSeal(dir)).toBeGreaterThan(before);
    await night('2026-05-02');

    // After the close, so no certificate kept it: the adjusting entry's record and every seal since the first night
    // (the night run on 05-01 at 02:30 syncs as of 04-30, the second as of 05-01).
    tamperSqlite(
      dir,
      `DELETE FROM adjustments WHERE entry_id = 'je:adjustment:2026-04-30:2'; DELETE FROM row_seals WHERE position > ${before}`,
    );
    const run = await runLedgerline(['verify'], { cwd: dir });

    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(
      /! seal_head_lost: the record of the night of 2026-05-01 \(run [^)]+\) kept the seals' head at position \d+ \(link [0-9a-f]{64}\); the seals now end at position \d+/,
    );
    expect(run.stdout).not.toContain('the night of 2026-04-30');
  });
});

function newestSeal(dir: string): number {
  const raw = new Database(join(dir, 'data', 'ledger.sqlite'), { readonly: true });
  try {
    return (raw.prepare('SELECT MAX(position) AS position FROM row_seals').get() as { position: number }).position;
  } finally {
    raw.close();
  }
}
