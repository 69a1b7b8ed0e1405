import { describe, expect, it } from 'vitest';
import { fleetView } from '../../src/reads/fleet-view.js';
import { exceptionQueue, type ExceptionFacts } from '../../src/reads/exception-queue.js';
import { renderExceptions } from '../../src/reads/exception-queue-text.js';
import { silenceVerdict, type CloseActivity } from '../../src/rules/index.js';

/** One entity's facts with nothing needing a person, to lay each case over. */
function facts(overrides: Partial<ExceptionFacts> = {}): ExceptionFacts {
  return {
    rows: [],
    quiet: [],
    lastSyncDay: '2026-03-06',
    mappingGaps: [],
    connections: [],
    tokens: [],
    tokenExpiryDays: 14,
    openItems: [],
    ...overrides,
  };
}

const rows = (sources: { id: string; lastClose?: string; parked?: string; error?: string }[]) =>
  fleetView({
    sources: sources.map(({ id }) => ({ id, kind: 'panel' })),
    yesterday: '2026-03-06',
    lastCloses: sources.flatMap(({ id, lastClose }) => (lastClose ? [{ sourceId: id, date: lastClose }] : [])),
    lastSync: {
      sources: sources.map(({ id, error }) => ({ sourceId: id, outcome: error ? 'failed' : 'ok', error })),
    },
    openOrders: [],
    parked: sources.flatMap(({ id, parked }) => (parked ? [{ sourceId: id, reason: parked }] : [])),
  });

describe('the exception queue: everything needing a person across entities, oldest first', () => {
  it('orders a parked panel, late money, an expiring token and a mapping gap of two entities by the day each began', () => {
    const north = facts({
      entity: 'north',
      rows: rows([
        { id: 'panel-01', lastClose: '2026-03-01', parked: 'AuthError: key refused' },
        { id: 'panel-02', lastClose: '2026-03-06' },
      ]),
      parked: [{ sourceId: 'panel-01', parkedAt: '2026-03-03T02:00:00.000Z' }],
      tokens: [{ destination: 'xero', refreshTokenExpiresAt: '2026-03-15T00:00:00.000Z', expiresInDays: 9 }],
    });
    const south = facts({
      entity: 'south',
      rows: rows([{ id: 'panel-09', lastClose: '2026-03-04', error: 'HTTP 502' }]),
      transit: [
        {
          id: 'pay:1',
          kind: 'payout',
          source: 'pub',
          amount: '120.00',
          currency: 'USD',
          reportedOn: '2026-02-20',
          state: 'late',
          ageDays: 14,
        },
        {
          id: 'pay:2',
          kind: 'payout',
          source: 'pub',
          amount: '80.00',
          currency: 'USD',
          reportedOn: '2026-03-05',
          state: 'reported',
          ageDays: 1,
        },
      ],
      mappingGaps: [{ account: 'bank_fees', file: 'mappings/xero.yaml', destination: 'xero' }],
      connections: [
        {
          destination: 'quickbooks',
          problem: 'no QuickBooks company is connected',
          nextStep: 'run `ledgerline connect quickbooks`',
        },
      ],
    });
    const queue = exceptionQueue([north, south]);
    expect(queue.map((row) => [row.since, row.entity, row.kind, row.subject])).toEqual([
      ['2026-02-20', 'south', 'money_in_transit', 'pay:1'],
      ['2026-03-01', 'north', 'token_expiring', 'xero'],
      ['2026-03-02', 'north', 'parked', 'panel-01'],
      ['2026-03-05', 'south', 'failing', 'panel-09'],
      ['2026-03-06', 'south', 'mapping_gap', 'xero'],
      [null, 'south', 'connection', 'quickbooks'],
    ]);
    expect(queue[0]!.what).toBe(
      'payout of 120.00 USD reported by pub on 2026-02-20: not seen at the bank 14 days after it was reported',
    );
    expect(queue[0]!.nextStep).toContain('`ledgerline transit match pay:1 LINE --entity south`');
    expect(queue[1]!.what).toBe('the authorization to post to xero expires on 2026-03-15 (in 9 days)');
    expect(queue[2]!.what).toContain(
      'parked, left out of the nightly runs, because its close failed in every try: AuthError: key refused',
    );
    expect(queue[2]!.nextStep).toContain('`ledgerline sync --source panel-01 --entity north`');
    // The next step's command, for the entity whose books it is in: ready to paste.
    expect(queue.map((row) => row.command)).toContain('ledgerline sync --source panel-01 --entity north');
    expect(queue[0]!.command).toBe('ledgerline bank import --entity south');
    expect(queue[4]!.nextStep).toBe(
      'add bank_fees under accounts: in mappings/xero.yaml, then run `ledgerline post xero --entity south`',
    );
  });

  it("writes every command of an entity's next step as it runs there: with entities:, reconcile refuses without --entity", () => {
    const item = {
      id: 'finding:panel-01:balance_fall:2026-03-02:2026-03-02',
      kind: 'balance_fall',
      date: '2026-03-02',
      message: 'panel balance fell',
    };
    const [north, alone] = [
      exceptionQueue([facts({ entity: 'north', openItems: [item] })]),
      exceptionQueue([facts({ openItems: [item] })]),
    ];
    expect(north[0]!.nextStep).toBe(
      'look at it with `ledgerline reconcile --entity north`; once dealt with, `ledgerline reconcile ack finding:panel-01:balance_fall:2026-03-02:2026-03-02 --entity north`',
    );
    expect(north[0]!.command).toBe('ledgerline reconcile --entity north');
    expect(alone[0]!.nextStep).toBe(
      'look at it with `ledgerline reconcile`; once dealt with, `ledgerline reconcile ack finding:panel-01:balance_fall:2026-03-02:2026-03-02`',
    );
    expect(alone[0]!.command).toBe('ledgerline reconcile');
  });

  it('is empty when every source is booked and nothing is open; a token outside its window is not listed', () => {
    const queue = exceptionQueue([
      facts({
        rows: rows([{ id: 'panel-01', lastClose: '2026-03-06' }]),
        tokens: [{ destination: 'xero', refreshTokenExpiresAt: '2026-04-30T00:00:00.000Z', expiresInDays: 55 }],
      }),
    ]);
    expect(queue).toEqual([]);
  });

  it("gives a failing source's next step from the kind of its failure: a 5xx is the panel's side and tonight's retry, a 401 the key", () => {
    const queue = exceptionQueue([
      facts({
        rows: rows([
          { id: 'panel-01', lastClose: '2026-03-04', error: 'panel-01: balance: HTTP 502 after 5 attempts' },
          { id: 'panel-02', lastClose: '2026-03-04', error: 'panel-02: balance: HTTP 401 Unauthorized' },
          { id: 'panel-03', lastClose: '2026-03-04', error: 'panel-03: balance: HTTP 429 after 5 attempts' },
        ]),
      }),
    ]);
    const step = (subject: string) => queue.find((each) => each.subject === subject)?.nextStep;
    expect(step('panel-01')).toBe(
      "the failure is on panel-01's side (HTTP 502): nothing to change here; tonight's run tries again, or run `ledgerline sync --source panel-01` once it answers",
    );
    expect(step('panel-01')).not.toContain('API key');
    expect(step('panel-02')).toBe(
      'panel-02 refused its API key (HTTP 401): check the key configured for panel-02 (rotated, or the account closed?), then run `ledgerline sync --source panel-02`',
    );
    expect(step('panel-03')).toContain('HTTP 429');
  });

  it('gives a silent panel its date once: the row says since when, the words only how long (issue 72 item 6)', () => {
    const silence = {
      noun: 'Panel',
      nothingNew: 'no new orders or balance moves',
      check: "check the panel's account",
      broughtNewData: (close: CloseActivity) => close.entries > 0,
    };
    const closes = ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'].map((date, index) => ({
      sourceId: 'panel-11',
      date,
      valueMicros: 0n,
      entries: index === 0 ? 1 : 0,
    }));
    const quiet = [{ source: 'panel-11', ...silenceVerdict('panel-11', closes, silence, 3)! }];
    const [row] = exceptionQueue([
      facts({
        quiet,
        rows: fleetView({
          sources: [{ id: 'panel-11', kind: 'panel' }],
          yesterday: '2026-03-06',
          lastCloses: [{ sourceId: 'panel-11', date: '2026-03-06' }],
          lastSync: { sources: [{ sourceId: 'panel-11', outcome: 'ok' }] },
          openOrders: [],
          parked: [],
          quiet,
        }),
      }),
    ]);
    expect(row!.since).toBe('2026-03-03');
    expect(row!.what).toBe('Panel panel-11 has sent no new orders or balance moves for 4 days');
    expect(renderExceptions([row!]).match(/2026-03-03/g)).toHaveLength(1);
  });
});
