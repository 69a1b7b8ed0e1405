import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copiedSyncedWorld } from '../support/built-worlds.js';
import { FIVE_DAYS as DAYS, FIVE_DAYS_ACROSS_MONTH_END as script } from '../scenarios/five-days-across-month-end.js';
import type { SyncedWorld } from '../scenarios/scenario-harness.js';

/** One sample line of the text exposition format: a name, optional labels, one value. */
const SAMPLE = /^([a-z_]+)(\{[a-z_]+="[^"]*"(?:,[a-z_]+="[^"]*")*\})? (-?\d+(?:\.\d+)?)$/;

function samples(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of text.trimEnd().split('\n')) {
    if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const sample = SAMPLE.exec(line);
    if (sample === null) throw new Error(`not a sample line: ${line}`);
    found.set(`${sample[1]}${sample[2] ?? ''}`, sample[3]!);
  }
  return found;
}

describe('ledgerline metrics: the facts of status in Prometheus text', { timeout: 120_000 }, () => {
  let world: SyncedWorld | undefined;
  beforeAll(async () => {
    world = await copiedSyncedWorld(script, 'metrics', DAYS);
  }, 120_000);
  afterAll(() => world?.close());

  it('after five synced nights: every line reads as the format, and the figures are those status --json gives', async () => {
    const metrics = await world!.workspace.run(['metrics']);
    const status = await world!.workspace.run(['status', '--json']);
    expect(metrics.code, metrics.stderr).toBe(0);
    const facts = JSON.parse(status.stdout) as {
      entries: number;
      lastCloses: { sourceId: string; date: string }[];
      discrepancies: { kind: string; open: number }[];
      quarantined: number;
    };
    const read = samples(metrics.stdout);
    expect(read.get('ledgerline_journal_entries')).toBe(String(facts.entries));
    expect(facts.entries).toBeGreaterThan(0);
    expect(read.get('ledgerline_ledger_healthy')).toBe('1');
    expect(read.get('ledgerline_quarantined_replies')).toBe(String(facts.quarantined));
    expect(read.get('ledgerline_last_run_failed{command="sync"}')).toBe('0');
    expect(Number(read.get('ledgerline_last_success_timestamp_seconds{command="sync"}'))).toBeGreaterThan(0);
    // The world's clock is the morning after its last night: each source closed yesterday, none lags.
    expect(facts.lastCloses.map((close) => close.date)).toEqual(facts.lastCloses.map(() => DAYS[DAYS.length - 1]));
    for (const close of facts.lastCloses)
      expect(read.get(`ledgerline_source_lag_days{source="${close.sourceId}"}`)).toBe('0');
    for (const row of facts.discrepancies)
      expect(read.get(`ledgerline_open_items{kind="${row.kind}"}`)).toBe(String(row.open));
    expect(metrics.stdout).toMatch(/^# HELP ledgerline_journal_entries .+\n# TYPE ledgerline_journal_entries gauge\n/);
  });
});
