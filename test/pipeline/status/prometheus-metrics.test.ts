import { describe, expect, it } from 'vitest';
import { prometheusText } from '../../../src/pipeline/status/prometheus-metrics.js';
import type { StatusFacts } from '../../../src/pipeline/status/index.js';
import { fleetView } from '../../../src/reads/index.js';
import { parsePrometheusText, sampleValue } from '../../support/prometheus-text.js';

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
    openBySource: [],
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

/** One entity's exposition, as `metrics` writes it for a configuration without entities: (or with, naming `entity`). */
function exposition(
  facts: StatusFacts,
  options: { yesterday: string; entity?: string; sources?: { id: string; kind: string }[] },
): string {
  const rows = fleetView({ ...facts, sources: options.sources ?? [], yesterday: options.yesterday });
  return prometheusText([{ entity: options.entity, facts, rows, yesterday: options.yesterday }], NOW);
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
    const text = exposition(
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
      { yesterday: '2026-04-02' },
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
    const text = exposition(
      facts({
        runs: [
          run('sync', '2026-04-03T02:30:00Z', '2026-04-03T02:30:12Z', 'failed'),
          run('sync', '2026-04-02T02:30:00Z', '2026-04-02T02:31:00Z', 'ok'),
          run('post', '2026-04-03T03:00:00Z', null, null),
        ],
        discrepancies: [{ kind: 'odd "kind"', open: 2 }],
        lastCloses: [{ sourceId: 'smm-panel', date: '2026-03-30' }],
      }),
      { yesterday: '2026-04-02' },
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
    const text = exposition(facts({ integrity: 'row 3 missing from index' }), { yesterday: '2026-04-02' });
    expect(text).toContain('ledgerline_ledger_healthy 0\n');
    expect(text).not.toContain('ledgerline_unposted_entries');
  });

  it("labels each organisation's calls used and left today with its entity; a vendor that sent no figure has no calls-left sample", () => {
    const text = exposition(
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
      { yesterday: '2026-04-02', entity: 'north' },
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

  it('reads a source whose part of the latest sync booked as 1 on ledgerline_source_last_sync_ok, a failed one as 0 (the run says booked, never ok)', () => {
    const synced = (sourceId: string, outcome: string, error?: string) => ({
      sourceId,
      outcome,
      events: outcome === 'booked' ? 4 : 0,
      entries: 0,
      quarantined: 0,
      ...(error === undefined ? {} : { error }),
      booked: [],
      payouts: [],
      actionItems: [],
      informationItems: 0,
    });
    const text = exposition(
      facts({
        lastSync: {
          runId: 'r1',
          command: 'sync',
          asOf: '2026-04-02',
          startedAt: '2026-04-03T02:30:00Z',
          finishedAt: '2026-04-03T02:31:00Z',
          outcome: 'attention',
          error: null,
          sources: [
            synced('panel-01', 'booked'),
            synced('panel-02', 'booked'),
            synced('panel-03', 'failed', 'HTTP 502'),
          ],
        },
        openBySource: [
          { source: 'panel-01', kind: 'balance_mismatch', open: 2 },
          { source: 'panel-01', kind: 'order_stuck_open', open: 1 },
        ],
      }),
      {
        yesterday: '2026-04-02',
        sources: ['panel-01', 'panel-02', 'panel-03', 'panel-04'].map((id) => ({ id, kind: 'panel' })),
      },
    );
    const read = parsePrometheusText(text);
    expect(sampleValue(read, 'ledgerline_source_last_sync_ok', { source: 'panel-01' })).toBe(1);
    expect(sampleValue(read, 'ledgerline_source_last_sync_ok', { source: 'panel-02' })).toBe(1);
    expect(sampleValue(read, 'ledgerline_source_last_sync_ok', { source: 'panel-03' })).toBe(0);
    // Not in the latest sync: no figure, rather than a 0 that would page someone.
    expect(sampleValue(read, 'ledgerline_source_last_sync_ok', { source: 'panel-04' })).toBeUndefined();
    expect(sampleValue(read, 'ledgerline_source_open_items', { source: 'panel-01', kind: 'balance_mismatch' })).toBe(2);
  });

  it('writes every entity under one HELP and TYPE per metric, each sample labelled with its entity: no series twice', () => {
    const north = facts({ lastCloses: [{ sourceId: 'panel-01', date: '2026-04-02' }] });
    const south = facts({ entries: 7, lastCloses: [{ sourceId: 'panel-02', date: '2026-03-31' }] });
    const figures = [
      ['north', north],
      ['south', south],
    ] as const;
    const text = prometheusText(
      figures.map(([entity, each]) => ({
        entity,
        facts: each,
        rows: fleetView({ ...each, sources: [], yesterday: '2026-04-02' }),
        yesterday: '2026-04-02',
      })),
      NOW,
    );
    const read = parsePrometheusText(text);
    expect(text.match(/# TYPE ledgerline_ledger_healthy gauge/g)).toHaveLength(1);
    expect(read.get('ledgerline_journal_entries')?.samples).toEqual([
      { name: 'ledgerline_journal_entries', labels: { entity: 'north' }, value: 12 },
      { name: 'ledgerline_journal_entries', labels: { entity: 'south' }, value: 7 },
    ]);
    expect(sampleValue(read, 'ledgerline_source_lag_days', { entity: 'south', source: 'panel-02' })).toBe(2);
  });

  it("the test's reader of the exposition format refuses what a scraper refuses: a series twice, a split group, a bad escape, a sample before its TYPE", () => {
    const head = '# HELP a_b A.\n# TYPE a_b gauge\n';
    expect(() => parsePrometheusText(`${head}a_b{x="1"} 1\na_b{x="1"} 2\n`)).toThrow('written twice');
    expect(() => parsePrometheusText(`${head}a_b 1\n# TYPE c gauge\nc 1\na_b{x="2"} 2\n`)).toThrow('one group');
    expect(() => parsePrometheusText(`${head}a_b{x="\\t"} 1\n`)).toThrow('escape');
    expect(() => parsePrometheusText('a_b 1\n')).toThrow('before its TYPE');
    expect(() => parsePrometheusText(`${head}a_b{x="1",x="2"} 1\n`)).toThrow('label x twice');
    expect(() => parsePrometheusText(`${head}a_b one\n`)).toThrow('no value');
    expect(() => parsePrometheusText(`${head}a_b 1`)).toThrow('line feed');
    expect(parsePrometheusText(`${head}a_b{x="q\\"\\n"} +Inf 1700000000000\n`).get('a_b')?.samples).toEqual([
      { name: 'a_b', labels: { x: 'q"\n' }, value: Infinity },
    ]);
  });
});
