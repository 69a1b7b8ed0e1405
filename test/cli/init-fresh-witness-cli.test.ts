import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDestinationFakes, SANDBOX_ENVIRONMENT } from '../../sandbox/destination-fakes.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/sandbox-server.js';
import { runLedgerlineProcess } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * A ledger deleted and made again at the same path: the default witness (one file per ledger path in the state
 * folder) still holds the heads the deleted ledger left, so the new books inherited them and every sync refused
 * (the second `demo --dir` in the same folder: "0 manual journals", verify exit 1).
 */
const tempDir = useTempDir('ledgerline-init-witness-');
const running: RunningSandbox[] = [];
afterEach(async () => {
  for (const sandbox of running.splice(0)) await sandbox.close();
});

const DAY = '2026-03-02';

describe('init at the path of a deleted ledger', { timeout: 60_000 }, () => {
  it("the new books inherit the earlier ledger's witness: the sync refuses and verify exits 1 (the bug)", async () => {
    const fakes = createDestinationFakes();
    const sandbox = await startSandbox({
      port: 0,
      startDate: '2026-03-01',
      today: DAY,
      extraMounts: [fakes.xero, fakes.quickbooks],
    });
    running.push(sandbox);
    const scratch = tempDir();
    const state = join(scratch, 'state');
    const books = join(scratch, 'books');
    const ordersFile = join(scratch, 'orders.csv');
    writeFileSync(ordersFile, await (await fetch(`${sandbox.adminUrl}/orders.csv`)).text());
    const run = (args: string[]) =>
      runLedgerlineProcess(args, {
        cwd: books,
        env: { ...SANDBOX_ENVIRONMENT, NO_COLOR: '1', XDG_STATE_HOME: state },
      });
    const initAndSync = async () => {
      mkdirSync(books, { recursive: true });
      const init = await run(['init', '--sandbox-url', sandbox.baseUrl]);
      expect(init.code, init.stderr).toBe(0);
      const sync = await run(['sync', '--as-of', DAY, '--orders-file', ordersFile]);
      return { init, sync };
    };

    const first = await initAndSync();
    expect(first.sync.code, first.sync.stderr).toBe(0);
    rmSync(books, { recursive: true });
    const second = await initAndSync();
    const verify = await run(['verify']);

    expect(second.init.stdout).not.toContain('set aside');
    expect(second.sync.code).toBe(1);
    expect(second.sync.stderr).toContain('nothing was booked');
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain('ledger_older_than_witnessed');
    expect(readdirSync(join(state, 'ledgerline', 'witness'))).toHaveLength(1);
  });
});
