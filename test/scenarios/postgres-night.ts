import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import { usePostgresServer } from '../support/postgres-server.js';
import { MONTH_END_CLOSES, MONTH_END_WORLD } from './month-end-world.js';
import { pointAtPostgres } from './queued-workers.js';
import {
  createWorkspace,
  setSandboxDay,
  startScenarioSandbox,
  writeOrdersFile,
  type Workspace,
} from './scenario-harness.js';

/** The first night of the month-end world, ready to close on a PostgreSQL ledger; set up before the file's tests. */
export interface PostgresNight {
  readonly day: string;
  readonly sandbox: RunningSandbox;
  /** Its ledger is `url`, and the day's orders file is in it. */
  readonly workspace: Workspace;
  readonly url: string;
  /** The rows of `sql` on the ledger's database, on a connection of its own. */
  rows(sql: string): Promise<Record<string, unknown>[]>;
}

/** Starts a PostgreSQL cluster, the sandbox and the workspace `name` before the tests of the calling describe, and removes them after. */
export function usePostgresNight(name: string): PostgresNight {
  const { freshDatabase } = usePostgresServer();
  const day = MONTH_END_CLOSES[0]!;
  let sandbox: RunningSandbox | undefined;
  let workspace: Workspace | undefined;
  let url: string | undefined;

  beforeAll(async () => {
    sandbox = await startScenarioSandbox(MONTH_END_WORLD);
    workspace = await createWorkspace(sandbox, name);
    url = await freshDatabase();
    pointAtPostgres(workspace, url);
    await setSandboxDay(sandbox, day);
    await writeOrdersFile(sandbox, workspace.dir, day);
  }, 60_000);

  afterAll(async () => {
    await sandbox?.close();
    workspace?.remove();
  });

  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the PostgreSQL night is set up in beforeAll: use it inside a test');
    return value;
  };
  return {
    day,
    get sandbox() {
      return ready(sandbox);
    },
    get workspace() {
      return ready(workspace);
    },
    get url() {
      return ready(url);
    },
    async rows(sql) {
      const client = new pg.Client({ connectionString: ready(url) });
      await client.connect();
      try {
        return (await client.query(sql)).rows as Record<string, unknown>[];
      } finally {
        await client.end();
      }
    },
  };
}
