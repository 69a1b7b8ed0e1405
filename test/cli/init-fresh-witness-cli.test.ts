import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDestinationFakes, SANDBOX_ENVIRONMENT } from '../../sandbox/destination-fakes.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/sandbox-server.js';
import { runLedgerline } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * A ledger deleted and made again at the same path: the default witness (one file per ledger path in the state
 * folder) still held the heads the deleted ledger left, so the new books inherited them and every sync refused
 * (the second `demo --dir` in the same folder: "0 manual journals", verify exit 1). Creating books at a path is a
 * fresh start: init sets the earlier witness aside beside itself. An existing ledger put back older than its
 * witness is still refused: test/pipeline/witness/witnessed-books.test.ts.
 */
const tempDir = useTempDir('ledgerline-init-witness-');
const running: RunningSandbox[] = [];
afterEach(async () => {
  for (const sandbox of running.splice(0)) await sandbox.close();
});

const DAY = '2026-03-02';

describe('init at the path of a deleted ledger', { timeout: 60_000 }, () => {
  it("sets the earlier ledger's witness aside and says so: the new books sync and verify (exit 0)", async () => {
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
      runLedgerline(args, {
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
    expect(first.init.stdout).not.toContain('set aside');
    const witnessFolder = join(state, 'ledgerline', 'witness');
    const [witness] = readdirSync(witnessFolder);
    const heads = readFileSync(join(witnessFolder, witness ?? ''), 'utf8');
    rmSync(books, { recursive: true });
    const second = await initAndSync();
    const verify = await run(['verify']);

    expect(second.init.code, second.init.stderr).toBe(0);
    const aside = readdirSync(witnessFolder).find((name) => name.startsWith(`${witness}.set-aside-`));
    expect(aside).toMatch(/\.jsonl\.set-aside-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/);
    expect(second.init.stdout).toContain(
      `the witness of an earlier ledger at this path, ${join(witnessFolder, witness ?? '')}, was set aside as ` +
        `${join(witnessFolder, aside ?? '')}: these books start afresh\n`,
    );
    // Set aside whole, never deleted; the new books' own heads go in a witness of their own.
    expect(readFileSync(join(witnessFolder, aside ?? ''), 'utf8')).toBe(heads);
    expect(second.sync.code, second.sync.stderr).toBe(0);
    expect(second.sync.stdout).toContain('smm-panel: booked 1 event in 1 entry');
    expect(verify.code, verify.stdout).toBe(0);
    expect(readFileSync(join(witnessFolder, witness ?? ''), 'utf8')).not.toBe('');

    // Init again over the ledger that now exists keeps it, and its witness where it is.
    const again = await run(['init']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toContain('set aside');
    expect(readdirSync(witnessFolder)).toHaveLength(2);

    // --json names both files under witnessSetAside, only when it set one aside.
    rmSync(join(books, 'data'), { recursive: true });
    const json = await run(['init', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const said = JSON.parse(json.stdout) as { witnessSetAside?: { from: string; to: string } };
    expect(said.witnessSetAside?.from).toBe(join(witnessFolder, witness ?? ''));
    expect(said.witnessSetAside?.to).toMatch(/\.jsonl\.set-aside-[\dT-]+Z$/);
    expect(readdirSync(witnessFolder)).toHaveLength(2);
  });
});
