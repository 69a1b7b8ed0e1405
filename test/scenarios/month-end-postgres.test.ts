import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import { readBooks } from '../support/ledger-engines.js';
import { usePostgresServer } from '../support/postgres-server.js';
import {
  MONTH_END_ATTENTION_CLOSES,
  MONTH_END_CLOSES,
  MONTH_END_FIXTURES,
  MONTH_END_WORLD,
  withoutRunTimes,
} from './month-end-world.js';
import { itKeepsEveryStartState, startStateReader, type ComparedStartState } from './replay-start-states.js';
import { createWorkspace, setSandboxDay, startScenarioSandbox, type Workspace } from './scenario-harness.js';

const { freshDatabase } = usePostgresServer();

/** status --json names where the ledger is: a file in the SQLite fixture, user@host:port/database here. */
function withoutLedgerLocation(text: string): string {
  return text.replace(/^ {2}"ledger": ".*",$/m, '  "ledger": "<ledger>",');
}

/**
 * The month-end scenario (month-end-scenario.test.ts) with `ledger: postgres://…`: the same closes, day by day
 * through the built CLI, must give the same exit codes and, byte for byte, the same exports and reconcile
 * report as the SQLite run whose outputs are the fixtures. Only CLI outputs are compared: the SQLite scenario
 * also reads its ledger file directly, which has no counterpart here. After each close, the state a replay of the
 * next day starts from is compared too (replay-start-state.test.ts does so on SQLite): these closes were synced
 * into PostgreSQL a second time for it, about 5 CPU-s.
 */
describe('the month end synced day by day into a PostgreSQL ledger', { timeout: 60_000 }, () => {
  let sandbox: RunningSandbox;
  let workspace: Workspace;
  const codes: Record<string, number | null> = {};
  const failures: string[] = [];
  const movementsApart: string[] = [];
  const startStates: ComparedStartState[] = [];

  beforeAll(async () => {
    sandbox = await startScenarioSandbox(MONTH_END_WORLD);
    workspace = await createWorkspace(sandbox, 'month-end-postgres', { ledger: freshDatabase });
    const startStateAfter = startStateReader(workspace);
    for (const day of MONTH_END_CLOSES) {
      await setSandboxDay(sandbox, day);
      const result = await workspace.syncDay(day);
      codes[day] = result.code;
      if (result.code !== 0 && result.code !== 1) failures.push(`${day}: exit ${result.code}: ${result.stderr}`);
      movementsApart.push(
        ...(await readBooks(workspace.ledger, (books) => books.movementsApartFromLines())).map(
          (apart) => `${day}: ${apart}`,
        ),
      );
      startStates.push(await startStateAfter(workspace.ledger, day));
    }
  }, 240_000);

  afterAll(async () => {
    await sandbox?.close();
    workspace?.remove();
  });

  it('exits 0 on quiet closes and 1 exactly on the closes that found something', () => {
    expect(failures).toEqual([]);
    expect(codes).toEqual(
      Object.fromEntries(MONTH_END_CLOSES.map((day) => [day, day in MONTH_END_ATTENTION_CLOSES ? 1 : 0])),
    );
  });

  it("keeps each day's movement per source, account and currency equal to its lines' sums after every close", () => {
    expect(movementsApart).toEqual([]);
  });

  it.each(['export-generic.csv', 'export-xero.csv', 'export-quickbooks.csv', 'reconcile.json', 'status.json'])(
    'gives the bytes of the SQLite run for %s (status.json apart from where the ledger is)',
    async (name) => {
      const args: Record<string, string[]> = {
        'export-generic.csv': ['export', '--format', 'generic'],
        'export-xero.csv': ['export', '--format', 'xero'],
        'export-quickbooks.csv': ['export', '--format', 'quickbooks'],
        'reconcile.json': ['reconcile', '--as-of', '2026-04-30', '--json'],
        'status.json': ['status', '--json'],
      };
      const result = await workspace.run(args[name]!);
      expect(result.stderr, name).not.toMatch(/error/i);
      const fixture = readFileSync(join(MONTH_END_FIXTURES, name), 'utf8');
      expect(withoutLedgerLocation(withoutRunTimes(result.stdout)), name).toBe(withoutLedgerLocation(fixture));
    },
  );

  describe('the state a replay starts from, kept after each close of the month end (postgres)', () => {
    itKeepsEveryStartState(startStates);
  });
});
