import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { RunInProgressError } from '../../../src/errors.js';
import { lockPostgresSources, postgresSourceLocks } from '../../../src/store/postgres/advisory-locks.js';
import { usePostgresServer } from '../../support/postgres-server.js';

const { freshDatabase } = usePostgresServer();

/**
 * Ends every other session holding one of ledgerline's source locks in this test's database, as the server does when
 * a killed worker's socket closes. pg_locks is the whole cluster's, which other files share: unscoped, this ended
 * their lock sessions too (a local sync beside it exited 3, not 75) and counted their holders.
 */
async function dropLockHolders(url: string): Promise<number> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const { rows } = await admin.query(
      `SELECT pg_terminate_backend(pid) AS ended FROM pg_locks
       WHERE locktype = 'advisory' AND pid <> pg_backend_pid() AND classid = $1::oid
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [0x4c4c5351],
    );
    return rows.length;
  } finally {
    await admin.end();
  }
}

describe('a source lock on a PostgreSQL ledger', { timeout: 30_000 }, () => {
  it('lets two different sources be closed at once, in different sessions', async () => {
    const url = await freshDatabase();
    const panel = await lockPostgresSources(url, ['smm-panel'], { waitMs: 200 });
    const publisher = await lockPostgresSources(url, ['ads-publisher'], { waitMs: 200 });
    await panel.release();
    await publisher.release();
  });

  it('refuses a second holder of the same source after the wait, naming it, and lets it in once released', async () => {
    const url = await freshDatabase();
    const first = await lockPostgresSources(url, ['smm-panel'], { waitMs: 200 });
    const refused = await lockPostgresSources(url, ['smm-panel'], { waitMs: 200 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RunInProgressError);
    expect((refused as Error).message).toContain('source smm-panel is being closed by another run');
    expect((refused as Error).message).not.toContain('pw-');
    await first.release();
    const second = await lockPostgresSources(url, ['smm-panel'], { waitMs: 200 });
    await second.release();
  });

  it("goes with its holder's connection: a worker killed mid-close does not keep the source locked", async () => {
    const url = await freshDatabase();
    const killed = await lockPostgresSources(url, ['smm-panel'], { waitMs: 200 });
    expect(await dropLockHolders(url)).toBe(1);
    const next = await lockPostgresSources(url, ['smm-panel'], { waitMs: 2000 });
    await next.release();
    await killed.release();
  });
});

/** How many sessions the source locks keep open on this test's database (other files share the cluster): one per close in hand, not one per close. */
async function lockSessions(url: string): Promise<number> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const { rows } = await admin.query(
      "SELECT count(*)::int AS sessions FROM pg_stat_activity WHERE application_name = 'ledgerline source lock' AND datname = current_database()",
    );
    return (rows[0] as { sessions: number }).sessions;
  } finally {
    await admin.end();
  }
}

describe("a worker's source locks on kept sessions", { timeout: 30_000 }, () => {
  it('closes source after source on the same session, each let go when its close ends', async () => {
    const url = await freshDatabase();
    const locks = postgresSourceLocks(url, { waitMs: 200, sessions: 2 });
    try {
      for (const sourceId of ['smm-panel', 'ads-publisher', 'smm-panel']) {
        const held = await locks.lock(sourceId);
        await held.release();
        const other = await lockPostgresSources(url, [sourceId], { waitMs: 200 });
        await other.release();
      }
      expect(await lockSessions(url)).toBe(1);
    } finally {
      await locks.close();
    }
  });

  it('holds two sources at once on two sessions, and refuses a source another run holds, naming it', async () => {
    const url = await freshDatabase();
    const locks = postgresSourceLocks(url, { waitMs: 200, sessions: 2 });
    try {
      const panel = await locks.lock('smm-panel');
      const publisher = await locks.lock('ads-publisher');
      const refused = await lockPostgresSources(url, ['smm-panel'], { waitMs: 200 }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(RunInProgressError);
      await panel.release();
      await publisher.release();
      const busy = await lockPostgresSources(url, ['ads-publisher'], { waitMs: 200 });
      const waited = await locks.lock('ads-publisher').catch((error: unknown) => error);
      expect(waited).toBeInstanceOf(RunInProgressError);
      expect((waited as Error).message).toContain('source ads-publisher is being closed by another run');
      await busy.release();
    } finally {
      await locks.close();
    }
  });

  it("takes a source again after the server ended the session that held it (a worker's connection lost)", async () => {
    const url = await freshDatabase();
    const locks = postgresSourceLocks(url, { waitMs: 200, sessions: 1 });
    try {
      const lost = await locks.lock('smm-panel');
      expect(await dropLockHolders(url)).toBe(1);
      await lost.release();
      const again = await locks.lock('smm-panel');
      await again.release();
      const other = await lockPostgresSources(url, ['smm-panel'], { waitMs: 200 });
      await other.release();
    } finally {
      await locks.close();
    }
  });
});
