import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PanelFlavourName } from '../../sandbox/panel-flavours.js';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import type { WorldScript } from '../../sandbox/world-script.js';
import {
  createWorkspace,
  microsText,
  setSandboxDay,
  startScenarioSandbox,
  type Workspace,
} from './scenario-harness.js';
import { readBooks } from '../support/ledger-engines.js';

export const FLAVOUR_NIGHTS = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05'] as const;

/**
 * Five nights of a panel whose money needs more than micro-units when it is stored as a DOUBLE:
 *   03-01  baseline, balance 20.00
 *   03-02  23501: 3701 views at 0.0123 = 0.0455223; 23502: 1000 followers at 0.90;
 *          subscription 23600 starts (in orders.csv; it places its own children, which are not)
 *   03-03  23502 Canceled (0.90 back); the subscription places 23601: 1234 views = 0.0151782
 *   03-04  23501 Partial, 1000 left: a DOUBLE panel keeps 0.0123 × 2701 / 1000 = 0.0332223;
 *          three votes at 0.0015 per 1000 = 0.0000015 each (1.5e-6): 23503, 23504, and 23602
 *          placed by the subscription
 *   03-05  a top-up of 5.00
 * The expected books are written by hand: DOUBLE_MONEY_BOOKS below, and in each other flavour's test.
 */
export const FLAVOURED_PANEL_WORLD: WorldScript = {
  start: '2026-03-01',
  panel: {
    openingBalance: '20.00',
    services: [
      { service: '1', name: 'Followers', type: 'Default', rate: '0.90', min: 50, max: 10000 },
      { service: '8', name: 'Auto Views', type: 'Subscriptions', rate: '4.00', min: 1, max: 5000 },
      { service: '9', name: 'Views', type: 'Default', rate: '0.0123', min: 1, max: 1000000 },
      { service: '11', name: 'Votes', type: 'Default', rate: '0.0015', min: 1, max: 100 },
    ],
    topUps: [{ on: '2026-03-05', amount: '5.00' }],
    orders: [
      {
        id: 23501,
        service: '9',
        quantity: 3701,
        placedOn: '2026-03-02',
        timeline: [{ on: '2026-03-04', status: 'Partial', remains: 1000 }],
      },
      {
        id: 23502,
        service: '1',
        quantity: 1000,
        placedOn: '2026-03-02',
        timeline: [{ on: '2026-03-03', status: 'Canceled' }],
      },
      { id: 23503, service: '11', quantity: 1, placedOn: '2026-03-04' },
      { id: 23504, service: '11', quantity: 1, placedOn: '2026-03-04' },
      {
        id: 23600,
        service: '8',
        quantity: 100,
        placedOn: '2026-03-02',
        timeline: [{ on: '2026-03-02', status: 'Active' }],
        orders: [23601, 23602],
      },
      { id: 23601, service: '9', quantity: 1234, placedOn: '2026-03-03' },
      { id: 23602, service: '11', quantity: 1, placedOn: '2026-03-04' },
    ],
  },
};

export interface FlavourExpectations {
  /** Exit code of each night's sync. */
  exits: number[];
  /** panel_prepaid after each night, written by hand: the panel's balance as carried (half-even to micro-units). */
  prepaid: string[];
  /** Every panel account after the last night. */
  accounts: Record<string, string>;
  /** Source events of the panel by kind and amount, in id order. */
  events: [string, string][];
}

/**
 * The books of FLAVOURED_PANEL_WORLD on a panel that stores money as a DOUBLE and sends it
 * unrounded (the SmartPanel and Perfect Panel families answer alike here), written by hand.
 */
export const DOUBLE_MONEY_BOOKS: FlavourExpectations = {
  exits: [0, 0, 0, 0, 1],
  // 20.0000000; 19.0544777; 19.9392995 (half-even up); 19.9515950; 24.9515950
  prepaid: ['20.00', '19.054478', '19.9393', '19.951595', '24.951595'],
  accounts: {
    // Charges 0.045522 + 0.90 + 0.015178 + 3 × 0.000002 less refunds 0.90 + 0.0123.
    smm_services_expense: '0.048406',
    opening_balance_equity: '-20.00',
    panel_prepaid: '24.951595',
    // 03-04: the ledger held 19.939300 + 0.012300 − 0.000006 = 19.951594 against 19.951595 carried.
    rounding: '-0.000001',
    topup_clearing: '-5.00',
  },
  events: [
    ['panel_opening_balance', '20.00'],
    ['order_charge', '0.045522'],
    ['order_refund', '0.0123'],
    ['order_charge', '0.90'],
    ['order_refund', '0.90'],
    ['order_charge', '0.000002'],
    ['order_charge', '0.000002'],
    ['order_charge', '0.015178'],
    ['order_charge', '0.000002'],
    ['panel_rounding_gain', '0.000001'],
    ['panel_topup', '5.00'],
  ],
};

const PANEL_ACCOUNTS = [
  'panel_prepaid',
  'smm_services_expense',
  'opening_balance_equity',
  'topup_clearing',
  'rounding',
  'suspense',
];

/** Syncs the five nights against one sandbox of `flavour` and pins the books to `expected`; a replay of the window must book nothing. */
export function syncsFlavouredPanel(flavour: PanelFlavourName, expected: FlavourExpectations): void {
  let sandbox: RunningSandbox;
  let workspace: Workspace;
  const exits: (number | null)[] = [];
  const prepaid: string[] = [];
  const stderr: string[] = [];

  beforeAll(async () => {
    sandbox = await startScenarioSandbox(FLAVOURED_PANEL_WORLD, flavour);
    workspace = await createWorkspace(sandbox, `flavour-${flavour}`);
    for (const day of FLAVOUR_NIGHTS) {
      await setSandboxDay(sandbox, day);
      const run = await workspace.syncDay(day);
      exits.push(run.code);
      stderr.push(run.stderr);
      prepaid.push((await readBooks(workspace.ledgerPath, (ledger) => ledger.balances()))['panel_prepaid'] ?? '0.00');
    }
  }, 120_000);

  afterAll(async () => {
    await sandbox?.close();
    workspace?.remove();
  });

  it('syncs every night, exiting 1 only on the night of the top-up', () => {
    expect(exits, stderr.join('\n')).toEqual(expected.exits);
  });

  it("keeps panel_prepaid at the panel's balance as carried after every night", () => {
    expect(prepaid).toEqual(expected.prepaid);
  });

  it('books every charge, refund, child order and rounding as written by hand', async () => {
    const balances = await readBooks(workspace.ledgerPath, (ledger) => ledger.balances());
    expect(
      Object.fromEntries(
        PANEL_ACCOUNTS.filter((account) => account in balances).map((account) => [account, balances[account]]),
      ),
    ).toEqual(expected.accounts);
    const events = (await readBooks(workspace.ledgerPath, (ledger) => ledger.rows('source_events', 'id'))) as {
      source_id: string;
      kind: string;
      amount_micros: bigint;
    }[];
    expect(
      events
        .filter((event) => event.source_id === 'smm-panel')
        .map((event) => [event.kind, microsText(event.amount_micros)]),
    ).toEqual(expected.events);
  });

  it('a replay of the five nights from the stored replies books nothing', async () => {
    const before = await workspace.exportGeneric();
    const replay = await workspace.run([
      'sync',
      '--from',
      FLAVOUR_NIGHTS[0],
      '--to',
      FLAVOUR_NIGHTS[FLAVOUR_NIGHTS.length - 1]!,
    ]);
    expect(replay.code, replay.stderr).toBe(0);
    expect(await workspace.exportGeneric()).toBe(before);
  });
}
