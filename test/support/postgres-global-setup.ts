import type { TestProject } from 'vitest/node';
import {
  createLedgerTemplate,
  startPostgresServer,
  TEMPLATE_DATABASE,
  type PostgresServer,
} from './postgres-server.js';

/**
 * The tiers whose files use PostgreSQL (`soak`: vitest.soak.config.ts; `all tiers`: the three as one project, in a
 * run that names none, vitest.config.ts): a run of the unit tier alone starts no cluster.
 */
const TIERS_USING_POSTGRES = ['integration', 'e2e', 'all tiers', 'soak'];

/**
 * vitest's global setup: one throwaway PostgreSQL cluster for the whole run, with the migrated ledger template,
 * instead of an initdb in each of two dozen files. The test processes find it through `inject('sharedPostgres')`
 * (usePostgresServer does); it is stopped and removed when the run ends.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const tiers = project.vitest.projects.map((each) => each.name);
  if (!tiers.some((tier) => TIERS_USING_POSTGRES.includes(tier)) || process.env.LEDGERLINE_TEST_ENGINES === 'sqlite') {
    project.provide('sharedPostgres', undefined);
    return undefined;
  }
  let server: PostgresServer;
  try {
    server = await startPostgresServer();
  } catch (error) {
    // No PostgreSQL here: each PostgreSQL file then fails in its own beforeAll, saying what to install.
    process.stderr.write(`${(error as Error).message.split('\n')[0]}\n`);
    project.provide('sharedPostgres', undefined);
    return undefined;
  }
  try {
    await createLedgerTemplate(server);
  } catch (error) {
    await server.stop();
    throw error;
  }
  project.provide('sharedPostgres', {
    port: server.port,
    user: server.user,
    password: server.password,
    template: TEMPLATE_DATABASE,
  });
  return () => server.stop();
}
