import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../sandbox/sandbox-server.js';
import { readBooks } from '../support/ledger-engines.js';
import {
  ADVERTISER_SOURCE,
  SANDBOX_APRIL_NIGHTS,
  addAdvertiserSource,
  assertBuilt,
  runLedgerline,
  scenarioEnvironment,
  scratchDir,
  setSandboxDay,
  workspaceIn,
  type CliResult,
  type Workspace,
} from './scenario-harness.js';

/**
 * Issue 83's "every balance has its opening", through the built CLI: the sandbox's world (seed 1, from 03-01) synced
 * by the configuration `init --sandbox-url` writes plus the advertiser's source with `advertiser: { opening: "25.00" }`
 * (the sandbox advertiser's balance after its first day), on the nights of the sandbox-april-bank test. Then the
 * bank's statement of 03-01 to 04-29 imported, and the next night (04-30) books the advertiser's card top-ups the
 * statement holds, each on its line's day, which the transit matches to their lines. The sandbox bank's top-ups
 * (CARD 8345 PAYELANCER ADS, each 50.00): 03-06, 03-20, 04-06 (SBK20260406-003, after the day's two panel lines) and
 * 04-24. By hand: 25.00 + 4 × 50.00 = 225.00 in; the advertiser spent 197.97 from 03-02 to 04-30 (its counter
 * 15.04 → 213.01), so payelancer_prepaid ends at 27.03, and no day's balance is below zero.
 */
/** The nights of sandbox-april-bank but its last: the advertiser's statement is imported before 04-30's. */
const NIGHTS = SANDBOX_APRIL_NIGHTS.slice(0, -1);
const topUp = (lineId: string) => `payelancer:${ADVERTISER_SOURCE}:advertiser_topup:main-bank:${lineId}`;

interface TransitJson {
  items: { id: string; state: string; match: null | { amount: string; bankLine: string } }[];
}

describe(
  "the sandbox advertiser's balance: its opening and its top-ups from the bank's lines",
  { timeout: 300_000 },
  () => {
    let sandbox: RunningSandbox;
    let workspace: Workspace;
    const run: Record<string, CliResult> = {};

    beforeAll(async () => {
      assertBuilt();
      sandbox = await startSandbox({ port: 0, today: NIGHTS[0], advertiserTopUps: true });
      const dir = scratchDir('sandbox-advertiser');
      const env = scenarioEnvironment(sandbox);
      const init = await runLedgerline(dir, ['init', '--sandbox-url', sandbox.baseUrl], env);
      if (init.code !== 0) throw new Error(`init exited ${init.code}: ${init.stderr}`);
      addAdvertiserSource(join(dir, 'ledgerline.yaml'), sandbox.baseUrl, { advertiser: { opening: '25.00' } });
      workspace = workspaceIn(sandbox, dir, env, undefined);
      for (const night of NIGHTS) {
        await setSandboxDay(sandbox, night);
        const synced = await workspace.syncDay(night);
        if (synced.code !== 0 && synced.code !== 1)
          throw new Error(`sync of ${night} exited ${synced.code}: ${synced.stderr}`);
      }
      const statement = await fetch(`${sandbox.bankStatementUrl}?from=2026-03-01&to=2026-04-29&format=camt053`);
      writeFileSync(join(dir, 'statement.xml'), await statement.text());
      run['import'] = await workspace.run(['bank', 'import', 'statement.xml', '--account', 'main-bank']);
      await setSandboxDay(sandbox, '2026-04-30');
      run['sync'] = await workspace.syncDay('2026-04-30');
      run['transit'] = await workspace.run(['transit', '--json']);
    }, 300_000);

    afterAll(async () => {
      await sandbox?.close();
      workspace?.remove();
    });

    it("books the opening once with the advertiser's first close and each top-up on its bank line's day", async () => {
      expect(run['import']!.code, run['import']!.stderr).toBe(0);
      expect([0, 1]).toContain(run['sync']!.code);
      const events = (await readBooks(workspace.ledger, (books) => books.rows('source_events', 'date, id'))) as {
        kind: string;
        date: string;
        amount_micros: bigint;
      }[];
      const advertiser = events
        .filter((event) => event.kind === 'advertiser_opening_balance' || event.kind === 'advertiser_topup')
        .map((event) => [event.kind, event.date, BigInt(event.amount_micros)]);
      expect(advertiser).toEqual([
        ['advertiser_opening_balance', '2026-03-01', 25_000_000n],
        ['advertiser_topup', '2026-03-06', 50_000_000n],
        ['advertiser_topup', '2026-03-20', 50_000_000n],
        ['advertiser_topup', '2026-04-06', 50_000_000n],
        ['advertiser_topup', '2026-04-24', 50_000_000n],
      ]);
    });

    it('keeps payelancer_prepaid at zero or more on every day of the month, ending at 27.03, and the books balance', async () => {
      const { lines, entries, unbalanced } = await readBooks(workspace.ledger, async (books) => ({
        lines: (await books.rows('journal_lines', 'entry_id')) as {
          entry_id: string;
          account: string;
          amount_micros: bigint;
        }[],
        entries: (await books.rows('journal_entries', 'id')) as { id: string; date: string }[],
        unbalanced: await books.unbalancedEntries(),
      }));
      const dates = new Map(entries.map((entry) => [entry.id, entry.date]));
      const byDay = new Map<string, bigint>();
      for (const line of lines.filter((row) => row.account === 'payelancer_prepaid')) {
        const day = dates.get(line.entry_id)!;
        byDay.set(day, (byDay.get(day) ?? 0n) + BigInt(line.amount_micros));
      }
      let balance = 0n;
      const lowest = { day: '', micros: 0n };
      for (const day of [...byDay.keys()].sort()) {
        balance += byDay.get(day)!;
        if (lowest.day === '' || balance < lowest.micros) Object.assign(lowest, { day, micros: balance });
      }
      expect(lowest.micros >= 0n, `payelancer_prepaid is ${lowest.micros} micro-units on ${lowest.day}`).toBe(true);
      expect(balance).toBe(27_030_000n);
      expect(unbalanced).toEqual([]);
    });

    it("matches each top-up to its own card line of the bank's statement", () => {
      const items = (JSON.parse(run['transit']!.stdout) as TransitJson).items
        .filter((item) => item.id.includes(':advertiser_topup:'))
        .map((item) => [item.id, item.state, item.match?.bankLine ?? null, item.match?.amount ?? null]);
      expect(items).toEqual([
        [topUp('SBK20260306-001'), 'matched', 'main-bank:SBK20260306-001', '-50.00'],
        [topUp('SBK20260320-001'), 'matched', 'main-bank:SBK20260320-001', '-50.00'],
        [topUp('SBK20260406-003'), 'matched', 'main-bank:SBK20260406-003', '-50.00'],
        [topUp('SBK20260424-001'), 'matched', 'main-bank:SBK20260424-001', '-50.00'],
      ]);
    });
  },
);
