import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { usePostgresNight } from '../scenarios/postgres-night.js';
import { startWorker } from '../scenarios/queued-workers.js';
import { PANEL_SOURCE, runLedgerline } from '../scenarios/scenario-harness.js';

/** The close is tried once and retried this many times (`sync --retries`; its default of 3 is pinned in worker-config-cli). */
const RETRIES = 2;

describe('ledgerline worker', { timeout: 120_000 }, () => {
  const night = usePostgresNight('worker-cli');
  const { day } = night;

  it('logs each failed try of a close, and `sync --queue` names the source and why once the retries are spent', async () => {
    const { workspace } = night;
    // A worker started with another machine's configuration, which lacks the panel the closes were queued for.
    const document = parseDocument(readFileSync(join(workspace.dir, 'ledgerline.yaml'), 'utf8'));
    const sources = document.get('sources') as { items: { get(key: string): unknown }[] };
    sources.items.splice(
      sources.items.findIndex((source) => source.get('id') === PANEL_SOURCE),
      1,
    );
    writeFileSync(join(workspace.dir, 'worker.yaml'), document.toString());
    const worker = startWorker(workspace, ['--config', 'worker.yaml']);
    try {
      // The queued sync in this process: the worker's log and exit are what is watched as a process.
      const sync = await runLedgerline(
        workspace.dir,
        [
          'sync',
          '--queue',
          '--as-of',
          day,
          '--source',
          PANEL_SOURCE,
          '--queue-wait',
          '90',
          '--retries',
          String(RETRIES),
          // The tries' waits are not the subject: 1 s, 2 s rather than the default 10 s, 20 s.
          '--retry-delay',
          '1',
        ],
        workspace.env,
        100_000,
      );
      expect(sync.code).toBe(3);
      expect(sync.stderr).toContain(
        `the queued close of ${day} did not finish for ${PANEL_SOURCE} (failed: configuration error:`,
      );
      expect(sync.stderr).toContain(`has no source ${PANEL_SOURCE}`);
    } finally {
      worker.child.kill('SIGTERM');
    }
    const stopped = await worker.ended;
    expect(stopped.code).toBe(0);
    const failures = stopped.stderr
      .split('\n')
      .filter((line) => line.includes(`the close of ${PANEL_SOURCE} for ${day} failed and goes back to the queue`));
    expect(failures).toHaveLength(1 + RETRIES);
    expect(failures[0]).toContain('worker.yaml');
  });
});
