import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settleForClose } from '../../../src/app/demo/month-close.js';
import { monthDemo } from '../../../src/app/demo/month.js';
import type { SubcommandResult } from '../../../src/app/demo/steps.js';
import { apiDestinationNames } from '../../../src/app/destination-choices.js';
import { EXIT, UsageError, type ExitCode } from '../../../src/errors.js';
import { useTempDir } from '../../support/temp-dir.js';

/**
 * The demo's script is handed the command runner, so what it runs and what it makes of each answer is seen here
 * without a sandbox: a runner that answers from a script and records every command line.
 */
function scriptedRunner(answers: Record<string, Partial<SubcommandResult>>) {
  const ran: string[] = [];
  const run = (args: string[]) => {
    const line = args.join(' ');
    ran.push(line);
    const answer = answers[line] ?? answers[args[0]!] ?? {};
    return Promise.resolve({ exitCode: EXIT.ok as ExitCode, stdout: '', stderr: '', ...answer });
  };
  return { run, ran };
}

const NOTE = 'settled by ledgerline demo (a person looks at it first)';

const MARCH = {
  'transit --json': {
    stdout: JSON.stringify({
      items: [
        { id: 'panel:p:topup:2026-03-17', state: 'differs' },
        { id: 'panel:p:topup:2026-03-13', state: 'matched' },
      ],
    }),
  },
  'bank lines --unmatched --json': {
    stdout: JSON.stringify({
      lines: [
        { bankLine: 'main-bank:1', date: '2026-03-16', amount: '-9.00', reference: 'ACCOUNT MAINTENANCE FEE' },
        { bankLine: 'main-bank:2', date: '2026-03-20', amount: '-1450.00', reference: 'STANDING ORDER OFFICE RENT' },
        { bankLine: 'main-bank:3', date: '2026-03-21', amount: '120.00', reference: 'CUSTOMER DEPOSIT' },
      ],
    }),
  },
  'close --period 2026-03 --json': {
    exitCode: EXIT.attention,
    stdout: JSON.stringify({
      blockers: [
        { kind: 'open_action_item', ref: 'item-7' },
        { kind: 'unposted_entries', ref: 'xero' },
      ],
    }),
  },
};

describe("the demo's month-end settles what a person would, through the commands it is handed", () => {
  it('accepts each item that differs, books each stray line (a fee to bank_fees, other money out and in through suspense), acknowledges the open items, posts', async () => {
    const { run, ran } = scriptedRunner({ ...MARCH, post: { exitCode: EXIT.attention } });
    const lines = await settleForClose(run);
    const adjust = (date: string, debit: string, credit: string, reason: string, line: string) =>
      `adjust --date ${date} --debit ${debit} --credit ${credit} --reason ${reason}, bank line ${line}; ${NOTE} --settles ${line}`;
    expect(ran).toEqual([
      'transit --json',
      `transit accept panel:p:topup:2026-03-17 --note the bank's fee; ${NOTE}`,
      'bank lines --unmatched --json',
      adjust('2026-03-16', 'bank_fees=9.00', 'bank=9.00', 'ACCOUNT MAINTENANCE FEE', 'main-bank:1'),
      adjust('2026-03-20', 'suspense=1450.00', 'bank=1450.00', 'STANDING ORDER OFFICE RENT', 'main-bank:2'),
      adjust('2026-03-21', 'bank=120.00', 'suspense=120.00', 'CUSTOMER DEPOSIT', 'main-bank:3'),
      'close --period 2026-03 --json',
      `reconcile ack item-7 --note ${NOTE}`,
      ...apiDestinationNames().map((destination) => `post ${destination}`),
    ]);
    expect(lines).toEqual([
      '   transit accept: 1 item(s) whose bank line differs by a fee (panel:p:topup:2026-03-17)',
      '   adjust: 3 statement line(s) no item took (ACCOUNT MAINTENANCE FEE -9.00; STANDING ORDER OFFICE RENT -1450.00; CUSTOMER DEPOSIT 120.00)',
      `   reconcile ack: 1 action item(s), noted "${NOTE}"`,
      `   post: ${apiDestinationNames()
        .map((destination) => `${destination} exit ${EXIT.attention}`)
        .join(', ')} (bank legs and bank-line adjustments reach Xero as bank transactions on 090)`,
    ]);
  });

  it('a step that fails stops the demo, naming the step and what the command said', async () => {
    const { run, ran } = scriptedRunner({
      ...MARCH,
      adjust: { exitCode: EXIT.usage, stderr: 'adjust: March is closed\n' },
    });
    await expect(settleForClose(run)).rejects.toThrow(
      new UsageError('demo: adjust for main-bank:1 failed (exit 2): adjust: March is closed'),
    );
    expect(ran.at(-1)).toMatch(/^adjust --date 2026-03-16 /);
  });
});

describe("the demo's month of nights", () => {
  const tempDir = useTempDir('ledgerline-demo-month-');
  let server: Server;
  let adminUrl = '';
  beforeAll(async () => {
    server = createServer((request, reply) => reply.end(`orders of ${request.url}\n`));
    await new Promise<void>((started) => server.listen(0, '127.0.0.1', started));
    adminUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/__admin`;
  });
  afterAll(() => new Promise<void>((closed) => server.close(() => closed())));

  /** Ends the demo once the month is synced, posted, exported and reconciled: where it reads the ledger back. */
  const THROUGH_THE_NIGHTS = new Error('the nights are over: the ledger is read next');

  /** The demo in `dir`, its sandbox recording each day it is moved to, and each line it says. */
  const demo = (dir: string, days: string[], run: ReturnType<typeof scriptedRunner>['run']) => {
    const said: string[] = [];
    const request = {
      dir,
      configPath: join(dir, 'ledgerline.yaml'),
      sandbox: {
        adminUrl,
        baseUrl: adminUrl,
        bankStatementUrl: adminUrl,
        world: { start: '2026-03-01', source: { seed: 1 } },
        today: () => days.at(-1) ?? '2026-03-01',
        setToday: (date: string) => void days.push(date),
        stateOn: () => ({ panel: { balance: 0n } }),
      },
      said: 'a sandbox',
      destination: 'xero',
      journalsPosted: () => 0,
      exportFormats: [],
      keepFakesBooks: () => undefined,
      run,
      readLedger: () => Promise.reject(THROUGH_THE_NIGHTS),
      say: (line: string) => void said.push(line),
      main: 'main.js',
    };
    return { said, done: monthDemo(request) };
  };

  it("syncs 35 days from March 1 with each day's orders file, counting the closes that left an action item", async () => {
    const days: string[] = [];
    const dir = tempDir();
    const ordersFile = join(dir, 'orders.csv');
    const { run, ran } = scriptedRunner({
      [`sync --as-of 2026-03-02 --orders-file ${ordersFile}`]: { exitCode: EXIT.attention },
      'reconcile --json': { stdout: '{"items": []}' },
    });
    const { said, done } = demo(dir, days, run);
    await expect(done).rejects.toBe(THROUGH_THE_NIGHTS);
    expect(said).toContain('2. sync: 35 closes, 2026-03-01 to 2026-04-04 (1 with an action item for a person)');
    expect(days).toHaveLength(35);
    expect(ran.filter((line) => line.startsWith('sync ')).at(-1)).toBe(
      `sync --as-of 2026-04-04 --orders-file ${ordersFile}`,
    );
    expect(readFileSync(ordersFile, 'utf8')).toBe('orders of /__admin/orders.csv\n');
  });

  it('a sync that fails stops the month at its day, with what the command said', async () => {
    const days: string[] = [];
    const dir = tempDir();
    const { run, ran } = scriptedRunner({
      [`sync --as-of 2026-03-03 --orders-file ${join(dir, 'orders.csv')}`]: {
        exitCode: EXIT.usage,
        stderr: 'sync: no such source\n',
      },
    });
    await expect(demo(dir, days, run).done).rejects.toThrow(
      new UsageError('demo: sync of 2026-03-03 failed (exit 2): sync: no such source'),
    );
    expect(days).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
    expect(ran.at(-1)).toBe(`sync --as-of 2026-03-03 --orders-file ${join(dir, 'orders.csv')}`);
  });
});
