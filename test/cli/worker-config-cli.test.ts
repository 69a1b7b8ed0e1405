import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { usePostgresNight, type PostgresNight } from '../scenarios/postgres-night.js';
import { startWorker, until } from '../scenarios/queued-workers.js';
import { PANEL_SOURCE, runLedgerline } from '../scenarios/scenario-harness.js';

/** The workspace's configuration with the panel's `ordersFile` set to `ordersFile`, or removed when undefined. */
function setPanelOrdersFile(night: PostgresNight, file: string, ordersFile: string | undefined): void {
  const document = parseDocument(readFileSync(join(night.workspace.dir, 'ledgerline.yaml'), 'utf8'));
  const sources = document.get('sources') as {
    items: { get(key: string): unknown; set(key: string, value: unknown): void; delete(key: string): void }[];
  };
  const panel = sources.items.find((source) => source.get('id') === PANEL_SOURCE)!;
  if (ordersFile === undefined) panel.delete('ordersFile');
  else panel.set('ordersFile', ordersFile);
  writeFileSync(join(night.workspace.dir, file), document.toString());
}

/** The order ids of the day's orders file (its first column), which the panel's close must book. */
function ordersOfTheDay(night: PostgresNight): string[] {
  const [, ...rows] = readFileSync(join(night.workspace.dir, 'orders.csv'), 'utf8').trim().split('\n');
  return rows.map((row) => row.split(',')[0]!).sort();
}

async function bookedOrders(night: PostgresNight): Promise<string[]> {
  return (await night.rows(`SELECT order_id FROM orders WHERE source_id = '${PANEL_SOURCE}' ORDER BY order_id`))
    .map((row) => String(row.order_id))
    .sort();
}

/** In this process: the workers are the processes under test; the queued sync is read for its exit code and message. */
function queuedSync(night: PostgresNight, extra: readonly string[] = []) {
  return runLedgerline(
    night.workspace.dir,
    ['sync', '--queue', '--as-of', night.day, '--source', PANEL_SOURCE, '--queue-wait', '90', ...extra],
    night.workspace.env,
    100_000,
  );
}

describe('a worker started before a configuration change', { timeout: 120_000 }, () => {
  const night = usePostgresNight('worker-config-change');

  it('books with the configuration as it is when the close is queued (the panel given its orders file after the worker started)', async () => {
    setPanelOrdersFile(night, 'ledgerline.yaml', undefined);
    const worker = startWorker(night.workspace);
    try {
      // Started: it has read its configuration and takes jobs, before the change.
      await until(() => worker.stderr().includes('taking close jobs'), 'the worker to take jobs');
      setPanelOrdersFile(night, 'ledgerline.yaml', 'orders.csv');
      const sync = await queuedSync(night);
      expect(sync.stderr).not.toContain('queued under configuration');
      expect(sync.code, sync.stderr).toBe(0);
      const expected = ordersOfTheDay(night);
      expect(expected.length).toBeGreaterThan(0);
      expect(await bookedOrders(night)).toEqual(expected);
      // Without --retries, a failed close would be tried again 3 times, 10 s then about 20 and 40 s later, one at a time per source.
      const limits = await night.rows(
        `SELECT retry_limit, retry_delay, retry_backoff, singleton_key, policy FROM ledgerline_queue.job WHERE name = 'ledgerline_close' UNION ALL SELECT retry_limit, retry_delay, retry_backoff, singleton_key, policy FROM ledgerline_queue.archive WHERE name = 'ledgerline_close'`,
      );
      expect(limits).toEqual([
        { retry_limit: 3, retry_delay: 10, retry_backoff: true, singleton_key: 'smm-panel', policy: 'singleton' },
      ]);
    } finally {
      worker.child.kill('SIGTERM');
    }
    expect((await worker.ended).code).toBe(0);
  });
});

describe('sync --queue with another configuration, and with --orders-file', { timeout: 180_000 }, () => {
  const night = usePostgresNight('worker-config-other');

  it('a worker given another configuration refuses the close naming both; --orders-file then books the file through the queue', async () => {
    setPanelOrdersFile(night, 'ledgerline.yaml', undefined);
    writeFileSync(
      join(night.workspace.dir, 'worker.yaml'),
      `# another machine's copy\n${readFileSync(join(night.workspace.dir, 'ledgerline.yaml'), 'utf8')}`,
    );
    const stranger = startWorker(night.workspace, ['--config', 'worker.yaml']);
    try {
      // Tried once: the refusal is the same at every try (worker-cli pins the retries, each logged).
      const refused = await queuedSync(night, ['--retries', '0']);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toMatch(
        /worker\.yaml at \(the whole file\): is configuration [0-9a-f]{12}, but the close of smm-panel for \S+ was queued under configuration [0-9a-f]{12}/,
      );
    } finally {
      stranger.child.kill('SIGTERM');
    }
    expect((await stranger.ended).code).toBe(0);
    expect(await bookedOrders(night)).toEqual([]);

    const worker = startWorker(night.workspace);
    try {
      const sync = await queuedSync(night, ['--orders-file', 'orders.csv']);
      expect(sync.code, sync.stderr).toBe(0);
      expect(await bookedOrders(night)).toEqual(ordersOfTheDay(night));
    } finally {
      worker.child.kill('SIGTERM');
    }
    expect((await worker.ended).code).toBe(0);
  });
});
