import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_ENVIRONMENT } from '../../sandbox/destination-fakes.js';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import {
  createWorkspace,
  finished,
  spawnLedgerline,
  startScenarioSandbox,
  type CliResult,
  type Workspace,
} from '../scenarios/scenario-harness.js';
import { readBooks } from '../support/ledger-engines.js';

const SECRET = SANDBOX_ENVIRONMENT.LEDGERLINE_WEBHOOK_SECRET;
const CONVERSION =
  '{"event": "conversion.tracked", "data": {"campaign_id": "982734A", "ad_id": "459021B", "payout": 1.25, "timestamp": "2026-03-13T20:55:00Z"}}';

/** `ledgerline webhooks` (the built CLI) stores what it is sent in the workspace's ledger before answering. */
describe('ledgerline webhooks', { timeout: 120_000 }, () => {
  let sandbox: RunningSandbox;
  let workspace: Workspace;
  let receiver: ChildProcess;
  let receiverExit: Promise<CliResult>;
  let url: string;

  beforeAll(async () => {
    sandbox = await startScenarioSandbox({ start: '2026-03-01', panel: { openingBalance: '100.00' } });
    workspace = await createWorkspace(sandbox, 'webhooks-cli');
    receiver = spawnLedgerline(workspace.dir, ['webhooks', '--port', '0'], workspace.env);
    receiverExit = finished(receiver, 100_000);
    url = await listeningUrl(receiver);
  }, 60_000);

  afterAll(async () => {
    if (receiver.exitCode === null) receiver.kill('SIGKILL');
    await sandbox.close();
    workspace.remove();
  });

  it('keeps a conversion and an unreadable body (quarantined), answers each, and stops cleanly', async () => {
    const post = async (body: string) => {
      const response = await fetch(`${url}/webhooks/ads-publisher/${SECRET}`, { method: 'POST', body });
      return [response.status, await response.json()];
    };
    expect(await post(CONVERSION)).toEqual([200, { ok: true, id: 1, duplicate: false }]);
    expect(await post(CONVERSION)).toEqual([200, { ok: true, id: 1, duplicate: true }]);
    const [status, answer] = await post('{"event": "conversion.tracked"}');
    expect([status, (answer as { ok: boolean }).ok]).toEqual([400, false]);

    receiver.kill('SIGTERM');
    expect((await receiverExit).code).toBe(0);
    const stored = await readBooks(workspace.ledgerPath, async (ledger) => ({
      inbox: (await ledger.rows('webhook_inbox', 'id')).map((row) => {
        const {
          id,
          source_id,
          status: rowStatus,
          body,
        } = row as { id: bigint; source_id: string; status: string; body: string };
        return [id, source_id, rowStatus, body];
      }),
      quarantined: (await ledger.rows('quarantine', 'id')).map((row) => (row as { webhook_id: bigint }).webhook_id),
    }));
    expect(stored.inbox.map(([, ...row]) => row)).toEqual([
      ['ads-publisher', 'stored', CONVERSION],
      ['ads-publisher', 'invalid', '{"event": "conversion.tracked"}'],
    ]);
    expect(stored.quarantined).toEqual([stored.inbox[1]![0]]);
  });
});

/** The receiver's address from its first line ("receiving webhooks on http://127.0.0.1:PORT/webhooks/…"). */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let said = '';
    const timer = setTimeout(() => reject(new Error(`webhooks did not start: ${said}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      const found = / on (http:\/\/127\.0\.0\.1:\d+)\/webhooks/.exec(said)?.[1];
      if (found !== undefined) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    child.on('close', () => reject(new Error(`webhooks exited: ${said}`)));
  });
}
