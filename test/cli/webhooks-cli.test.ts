import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_ENVIRONMENT } from '../../sandbox/destination-fakes.js';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import {
  createWorkspace,
  finished,
  setSandboxDay,
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

/**
 * On a sandbox trial (`sandboxClock`, as `init --sandbox-url` writes it) a delivery is dated on the sandbox's day, as a
 * sync's close and the panel proxy's orders are: dated by the machine's clock (November, with the sandbox in March) a
 * panel's order update was never taken by any close, and the order's charge fell to suspense.
 * World: baseline 03-01 at 100.00; 03-02 order 23501, 1000 followers at 0.90 = 0.90, named only by its webhook.
 */
describe('ledgerline webhooks on a sandbox trial', { timeout: 120_000 }, () => {
  let sandbox: RunningSandbox;
  let workspace: Workspace;

  beforeAll(async () => {
    sandbox = await startScenarioSandbox({
      start: '2026-03-01',
      panel: {
        openingBalance: '100.00',
        services: [{ service: '1', name: 'Followers', type: 'Default', rate: '0.90', min: 50, max: 10000 }],
        orders: [{ id: 23501, service: '1', quantity: 1000, placedOn: '2026-03-02' }],
      },
    });
    workspace = await createWorkspace(sandbox, 'webhooks-trial-cli');
  }, 60_000);

  afterAll(async () => {
    await sandbox.close();
    workspace.remove();
  });

  it("dates a panel's order update on the sandbox's day, so that night's sync books its charge", async () => {
    expect((await workspace.run(['sync'])).code).toBe(0);
    await setSandboxDay(sandbox, '2026-03-02');
    const receiver = spawnLedgerline(workspace.dir, ['webhooks', '--port', '0'], workspace.env);
    const receiverExit = finished(receiver, 100_000);
    const url = await listeningUrl(receiver);
    const update = '{"order_id": 23501, "status": "Pending", "remains": 1000, "start_count": 8421, "charge": 0.9}';
    const response = await fetch(`${url}/webhooks/smm-panel/${SECRET}`, { method: 'POST', body: update });
    expect(response.status).toBe(200);
    receiver.kill('SIGTERM');
    expect((await receiverExit).code).toBe(0);

    const night = await workspace.run(['sync']);
    expect(night.stdout).toContain('sync as of 2026-03-02');
    expect(night.stdout).toMatch(/Dr smm_services_expense +0\.90 USD/);
    expect(night.stdout).not.toContain('suspense');
    const inbox = await readBooks(workspace.ledgerPath, (ledger) => ledger.rows('webhook_inbox', 'id'));
    const rows = inbox as { received_at: string; status: string }[];
    expect(rows.map((row) => [row.received_at.slice(0, 10), row.status])).toEqual([['2026-03-02', 'processed']]);
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
