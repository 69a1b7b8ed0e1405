import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statfsSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import type { WorldScript } from '../../sandbox/world-script.js';
import { readBooks } from '../support/ledger-engines.js';
import { soakOr } from '../support/soak.js';
import {
  createWorkspace,
  createWorkspaces,
  runLedgerlineProcess,
  setSandboxDay,
  startScenarioSandbox,
  type Workspace,
} from './scenario-harness.js';

/** A 3 MB tmpfs to fill, or undefined where this user may not mount one (the full-disk case is then skipped). */
function smallDisk(): string | undefined {
  const mountPoint = mkdtempSync(join(tmpdir(), 'ledgerline-small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mountPoint], { stdio: 'ignore' });
    return mountPoint;
  } catch {
    rmSync(mountPoint, { recursive: true, force: true });
    return undefined;
  }
}

/** Fills `disk` with a file until `leaveKb` kilobytes are left free. */
function fillLeaving(disk: string, leaveKb: number): void {
  const { bavail, bsize } = statfsSync(disk);
  const fill = Math.max(0, bavail * bsize - leaveKb * 1024);
  writeFileSync(join(disk, 'filler'), Buffer.alloc(fill));
}

/**
 * The free space left before a sync, 48 to 88 KB: each size fills the disk at another moment of the sync. Where the
 * first run stopped, read from its output (2026-11-26): 48 KB before any source, 56 to 64 in ads-advertiser's close,
 * 68 to 88 in ads-publisher's. npm test leaves 48, 60 and 80 KB, one of each (it left 48, 68 and 88: the publisher's
 * twice, the advertiser's never); 6 processes, the run after space is freed running in process. The soak every 8 KB,
 * six sizes. All gave exit 3, 3, then 1.
 */
const LEAVE_KB = soakOr([48, 60, 80], [48, 56, 64, 72, 80, 88]);

/** An order id a panel could send: ESC [31m (red on a terminal) and a NUL byte. */
const CONTROL_ID = 'O-\u001b[31m2\u0000';

/**
 *   04-06  baseline: panel 50.00
 *   04-07  O-1 1000 × 0.90 = 0.90000 and CONTROL_ID 100 × 0.90 = 0.09000 charged      panel 49.01000
 */
const script: WorldScript = {
  start: '2026-04-06',
  panel: {
    openingBalance: '50.00',
    orders: [
      { id: 'O-1', service: '1', quantity: 1000, placedOn: '2026-04-07' },
      { id: CONTROL_ID, service: '1', quantity: 100, placedOn: '2026-04-07' },
    ],
  },
  payelancer: { publisher: { earnings: { '2026-04-06': '1.00' } }, advertiser: { spent: { '2026-04-06': '2.00' } } },
};

/** Issue 24 item 6, the cases that need the sandbox: each ends as an ordinary exit through the built CLI. */
describe('ordinary situations over sandbox days', { timeout: 120_000 }, () => {
  let sandbox: RunningSandbox;
  const workspaces = new Map<string, Workspace>();
  const workspace = (name: string) => workspaces.get(name)!;

  beforeAll(async () => {
    sandbox = await startScenarioSandbox(script);
    const names = ['unknown-ids', 'reference', 'control-characters'];
    (await createWorkspaces(sandbox, names)).forEach((made, index) => workspaces.set(names[index]!, made));
  });
  afterAll(async () => {
    await sandbox?.close();
    for (const made of workspaces.values()) made.remove();
  });

  it('an orders file of 3,000 ids the panel does not know: one line with the count, the ids in a file, in sync and in reconcile', async () => {
    const ws = workspace('unknown-ids');
    await setSandboxDay(sandbox, '2026-04-06');
    expect((await ws.syncDay('2026-04-06')).code).toBe(0);
    await setSandboxDay(sandbox, '2026-04-07');
    const ids = Array.from({ length: 3000 }, (_, index) => `X-${index + 1}`);
    writeFileSync(
      join(ws.dir, 'unknown.csv'),
      [
        'order_id,service,quantity,created_at',
        'O-1,1,1000,2026-04-07T12:00:00Z',
        ...ids.map((id) => `${id},1,100,2026-04-07T09:00:00Z`),
        '',
      ].join('\n'),
    );

    const sync = await ws.run(['sync', '--as-of', '2026-04-07', '--orders-file', 'unknown.csv']);
    expect(sync.code, sync.stderr).toBe(1);
    const refsFile = join(ws.dir, 'findings', 'findings-smm-panel-unknown_order-2026-04-07.txt');
    const unknownLines = sync.stdout.split('\n').filter((line) => line.includes('unknown_order'));
    expect(unknownLines).toEqual([
      expect.stringContaining(
        `! unknown_order: 3000 unknown_order findings on 2026-04-07 (the first: order X-1: the panel answered`,
      ),
    ]);
    expect(unknownLines[0]).toContain(`every ref, one a line, in ${refsFile}`);
    expect(readFileSync(refsFile, 'utf8').trim().split('\n').sort()).toEqual([...ids].sort());

    // The ledger keeps every finding; only the listing groups them.
    expect(
      await readBooks(
        ws.ledgerPath,
        async (ledger) =>
          ((await ledger.rows('discrepancies', 'id')) as { kind: string }[]).filter(
            (row) => row.kind === 'unknown_order',
          ).length,
      ),
    ).toBe(3000);

    const text = await ws.run(['reconcile', '--as-of', '2026-04-07']);
    expect(text.code).toBe(1);
    expect(text.stdout.split('\n').length).toBeLessThan(20);
    expect(text.stdout).toContain('unknown_order 3000');
    expect(text.stdout).toContain('id findings:smm-panel:unknown_order:2026-04-07');

    const json = await ws.run(['reconcile', '--as-of', '2026-04-07', '--json']);
    const report = JSON.parse(json.stdout) as {
      items: { id: string; kind: string; count?: number; refsFile?: string; ref: string }[];
    };
    const groups = report.items.filter((item) => item.kind === 'unknown_order');
    expect(groups).toEqual([
      expect.objectContaining({
        id: 'findings:smm-panel:unknown_order:2026-04-07',
        count: 3000,
        refsFile,
        ref: refsFile,
      }),
    ]);

    const ack = await ws.run([
      'reconcile',
      'ack',
      'findings:smm-panel:unknown_order:2026-04-07',
      '--note',
      'ids of another key',
    ]);
    expect(ack.code, ack.stderr).toBe(0);
    const after = JSON.parse((await ws.run(['reconcile', '--as-of', '2026-04-07', '--json'])).stdout) as {
      items: { kind: string; acknowledged: unknown }[];
    };
    expect(after.items.find((item) => item.kind === 'unknown_order')?.acknowledged).toEqual(
      expect.objectContaining({ note: 'ids of another key' }),
    );
    expect(existsSync(refsFile)).toBe(true);
  });

  it('an order id with ESC and NUL is refused where it is read, naming its line, and no export holds a control character', async () => {
    const ws = workspace('control-characters');
    await setSandboxDay(sandbox, '2026-04-06');
    expect((await ws.syncDay('2026-04-06')).code).toBe(0);
    await setSandboxDay(sandbox, '2026-04-07');
    writeFileSync(
      join(ws.dir, 'orders.csv'),
      [
        'order_id,service,quantity,created_at',
        'O-1,1,1000,2026-04-07T12:00:00Z',
        `${CONTROL_ID},1,100,2026-04-07T12:00:00Z`,
        '',
      ].join('\n'),
    );
    const sync = await ws.run(['sync', '--as-of', '2026-04-07', '--orders-file', 'orders.csv']);
    expect(sync.code, sync.stderr).toBe(1);
    expect(sync.stdout).toContain(
      `orders file row skipped: ${join(ws.dir, 'orders.csv')} line 3: order_id must be one word without spaces, commas or control characters`,
    );
    // Its charge is not explained by any order the ledger knows: an unexplained fall of 0.09, there for a person.
    expect(sync.stdout).toMatch(/balance_fall: .*0\.09/);
    for (const format of ['generic', 'xero', 'quickbooks', 'hledger', 'beancount']) {
      const exported = await ws.run(['export', '--format', format]);
      expect(exported.code, `${format}: ${exported.stderr}`).toBe(0);
      expect(exported.stdout).toMatch(/2026-04-07|04\/07\/2026|07\/04\/2026/);
      expect(exported.stdout, format).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
    }
    expect(
      await readBooks(ws.ledgerPath, async (ledger) =>
        ((await ledger.rows('orders', 'order_id')) as { order_id: string }[]).map((order) => order.order_id),
      ),
    ).toEqual(['O-1']);
  });

  const disk = smallDisk();
  afterAll(() => {
    if (disk === undefined) return;
    execFileSync('umount', [disk]);
    rmSync(disk, { recursive: true, force: true });
  });

  it.skipIf(disk === undefined)(
    'a full disk at any moment of a sync, and again at the next: exit 3 each time, and with space the day books as it would have',
    async () => {
      const ledgerDir = join(disk!, 'data');
      mkdirSync(ledgerDir);
      const ws = await createWorkspace(sandbox, 'full-disk', { ledger: async () => join(ledgerDir, 'ledger.sqlite') });
      // Each round puts the snapshot back: with the ledger, its witness as it was then (issue 73), or the round's sync
      // would rightly refuse books older than what the round before witnessed.
      const witness = join(ws.dir, 'witness.jsonl');
      writeFileSync(
        join(ws.dir, 'ledgerline.yaml'),
        `${readFileSync(join(ws.dir, 'ledgerline.yaml'), 'utf8')}\nwitness:\n  file: witness.jsonl\n`,
      );
      const reference = workspace('reference');
      try {
        await setSandboxDay(sandbox, '2026-04-06');
        expect((await ws.run(['sync', '--as-of', '2026-04-06'])).code).toBe(0);
        expect((await reference.run(['sync', '--as-of', '2026-04-06'])).code).toBe(0);
        await setSandboxDay(sandbox, '2026-04-07');
        // O-1 is not in an orders file: its charge is an unexplained fall, exit 1.
        expect((await reference.run(['sync', '--as-of', '2026-04-07'])).code).toBe(1);
        const entriesOf = (ledger: string) =>
          readBooks(ledger, async (books) =>
            (
              (await books.rows('journal_lines', 'entry_id, line_no')) as {
                entry_id: string;
                account: string;
                amount_micros: bigint;
              }[]
            ).map((line) => [line.entry_id, line.account, line.amount_micros]),
          );
        const expected = await entriesOf(reference.ledgerPath);
        const snapshot = mkdtempSync(join(tmpdir(), 'ledgerline-full-disk-snapshot-'));
        cpSync(ledgerDir, snapshot, { recursive: true });
        const witnessed = readFileSync(witness);
        const codes: string[] = [];
        for (const leaveKb of LEAVE_KB) {
          rmSync(ledgerDir, { recursive: true, force: true });
          cpSync(snapshot, ledgerDir, { recursive: true });
          writeFileSync(witness, witnessed);
          fillLeaving(disk!, leaveKb);
          // The runs on a full disk each their own process, as cron starts them: a run that cannot write its lock's
          // release leaves it to a process that has ended, which the next run takes over (in one process it would still
          // be held). The run with space, the last, runs in this process: no run comes after it to take its lock over.
          const sync = () => runLedgerlineProcess(ws.dir, ['sync', '--as-of', '2026-04-07'], ws.env);
          const full = await sync();
          const stillFull = await sync();
          rmSync(join(disk!, 'filler'));
          const freed = await ws.run(['sync', '--as-of', '2026-04-07']);
          codes.push(`${leaveKb}: ${full.code}/${stillFull.code}/${freed.code}`);
          for (const run of [full, stillFull]) {
            expect([1, 3], `${leaveKb} KB left: ${run.stderr}`).toContain(run.code);
            if (run.code === 3) expect(`${run.stdout}${run.stderr}`).toContain('is full');
          }
          expect(freed.code, `${leaveKb} KB left, then freed: ${freed.stderr}`).toBe(1);
          expect(await entriesOf(join(ledgerDir, 'ledger.sqlite'))).toEqual(expected);
        }
        // Before the fix, the second run here landed a reply it reported stored and died on FOREIGN KEY (exit 70).
        expect(codes.some((code) => code.includes(': 3/3/'))).toBe(true);
        rmSync(snapshot, { recursive: true, force: true });
      } finally {
        ws.remove();
        for (const name of readdirSync(disk!)) rmSync(join(disk!, name), { recursive: true, force: true });
      }
    },
    400_000,
  );
});
