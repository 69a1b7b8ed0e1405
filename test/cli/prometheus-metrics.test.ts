import { describe, expect, it } from 'vitest';
import { prometheusText } from '../../src/cli/prometheus-metrics.js';
import type { StatusFacts } from '../../src/cli/status-facts.js';

const NOW = new Date('2026-04-03T06:00:00Z');

function facts(overrides: Partial<StatusFacts> = {}): StatusFacts {
  return {
    ledger: 'ledger.sqlite',
    entries: 12,
    lastEntryDate: '2026-04-02',
    runs: [],
    openOrders: [],
    unposted: [],
    discrepancies: [],
    quarantined: 0,
    lastCloses: [],
    closesAfterToday: [],
    integrity: 'ok',
    lastSync: null,
    forTheRecord: [],
    connections: [],
    schedule: null,
    tokens: [],
    quiet: [],
    ...overrides,
  };
}

const transitItem = (id: string, amount: string, ageDays: number, state: 'late' | 'matched' | 'cleared') => ({
  id,
  kind: 'payout' as const,
  source: 'ad-network',
  amount,
  currency: 'USD',
  reportedOn: '2026-03-01',
  state,
  ageDays,
  match: null,
});

describe('prometheusText', () => {
  it('sums unsettled money in transit exactly per currency and age band, leaving settled items out', () => {
    const text = prometheusText(
      facts({
        moneyInTransit: {
          asOf: '2026-04-03',
          items: [
            transitItem('p1', '0.10', 2, 'cleared'),
            transitItem('p2', '0.20', 7, 'late'),
            transitItem('p3', '1000000.01', 40, 'late'),
            transitItem('p4', '55.00', 3, 'matched'),
          ],
        },
      }),
      { yesterday: '2026-04-02', now: NOW },
    );
    // 0.10 + 0.20 is 0.30 exactly, as a float sum would not give.
    expect(text).toContain('ledgerline_money_in_transit{currency="USD",age_days="0-7"} 0.30\n');
    expect(text).toContain('ledgerline_money_in_transit{currency="USD",age_days="31+"} 1000000.01\n');
    expect(text).toContain('ledgerline_money_in_transit_items{currency="USD",age_days="0-7"} 2\n');
    expect(text).not.toContain('age_days="8-30"');
  });

  it("per command, the latest run's failure and duration and the latest success; a quote in a label is escaped", () => {
    const run = (command: string, startedAt: string, finishedAt: string | null, outcome: string | null) => ({
      id: `${command}-${startedAt}`,
      command,
      startedAt,
      finishedAt,
      outcome,
      asOf: null,
      error: null,
    });
    const text = prometheusText(
      facts({
        runs: [
          run('sync', '2026-04-03T02:30:00Z', '2026-04-03T02:30:12Z', 'failed'),
          run('sync', '2026-04-02T02:30:00Z', '2026-04-02T02:31:00Z', 'ok'),
          run('post', '2026-04-03T03:00:00Z', null, null),
        ],
        discrepancies: [{ kind: 'odd "kind"', open: 2 }],
        lastCloses: [{ sourceId: 'smm-panel', date: '2026-03-30' }],
      }),
      { yesterday: '2026-04-02', now: NOW },
    );
    expect(text).toContain('ledgerline_last_run_failed{command="sync"} 1\n');
    expect(text).toContain('ledgerline_last_run_duration_seconds{command="sync"} 12\n');
    expect(text).toContain(
      `ledgerline_last_success_timestamp_seconds{command="sync"} ${Date.parse('2026-04-02T02:31:00Z') / 1000}\n`,
    );
    expect(text).not.toContain('command="post"');
    expect(text).toContain('ledgerline_open_items{kind="odd \\"kind\\""} 2\n');
    expect(text).toContain('ledgerline_source_lag_days{source="smm-panel"} 3\n');
  });

  it('a damaged ledger reads 0 on ledgerline_ledger_healthy, and a metric without samples is left out whole', () => {
    const text = prometheusText(facts({ integrity: 'row 3 missing from index' }), {
      yesterday: '2026-04-02',
      now: NOW,
    });
    expect(text).toContain('ledgerline_ledger_healthy 0\n');
    expect(text).not.toContain('ledgerline_unposted_entries');
  });

  it("labels each organisation's calls used and left today with its entity; a vendor that sent no figure has no calls-left sample", () => {
    const text = prometheusText(
      facts({
        callsToday: [
          {
            destination: 'xero',
            organisation: 'tenant-north',
            day: '2026-04-03',
            callsUsed: 212,
            vendorRemaining: 4788,
          },
          {
            destination: 'quickbooks',
            organisation: '9130',
            day: '2026-04-03',
            callsUsed: 40,
            vendorRemaining: undefined,
          },
        ],
      }),
      { yesterday: '2026-04-02', now: NOW, entity: 'north' },
    );
    expect(text).toContain(
      'ledgerline_calls_used_today{entity="north",destination="xero",organisation="tenant-north"} 212\n',
    );
    expect(text).toContain(
      'ledgerline_calls_used_today{entity="north",destination="quickbooks",organisation="9130"} 40\n',
    );
    expect(text).toContain(
      'ledgerline_calls_left_today{entity="north",destination="xero",organisation="tenant-north"} 4788\n',
    );
    expect(text).not.toContain('ledgerline_calls_left_today{entity="north",destination="quickbooks"');
  });
});
