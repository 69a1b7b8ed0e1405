import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { RunInProgressError } from '../../../src/errors.js';
import { lockPostgresSources } from '../../../src/store/postgres/source-lock.js';
import { usePostgresServer } from '../../support/postgres-server.js';

const { freshDatabase } = usePostgresServer();

/** Ends every other session holding one of ledgerline's source locks, as the server does when a killed worker's socket closes. */
async function dropLockHolders(url: string): Promise<number> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const { rows } = await admin.query(
      "SELECT pg_terminate_backend(pid) AS ended FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid() AND classid = $1::oid",
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
