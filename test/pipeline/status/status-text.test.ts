import { describe, expect, it } from 'vitest';
import type { StatusFacts } from '../../../src/pipeline/status/status-facts.js';
import { renderStatus } from '../../../src/pipeline/status/status-text.js';

/** A ledger with nothing in it but its recent runs: what the "last runs" column is laid out from. */
function facts(runs: { command: string; outcome: string; asOf?: string }[]): StatusFacts {
  return {
    ledger: 'books/ledger.sqlite',
    integrity: 'ok',
    entries: 0,
    lastEntryDate: null,
    closesAfterToday: [],
    runs: runs.map((run, index) => ({ ...run, startedAt: `2026-03-0${7 - index}T02:30:00.000Z`, error: null })),
    lastSync: null,
    lastCloses: [],
    openOrders: [],
    unposted: [],
    discrepancies: [],
    forTheRecord: [],
    openBySource: [],
    quarantined: 0,
    quiet: [],
    connections: [],
    schedule: null,
    tokens: [],
  } as unknown as StatusFacts;
}

describe('status as text', () => {
  it('lines up the outcomes of the last runs when one is "post --dry-run", wider than the other commands', () => {
    const text = renderStatus(
      facts([
        { command: 'post --dry-run', outcome: 'ok' },
        { command: 'post', outcome: 'ok' },
        { command: 'sync', outcome: 'attention', asOf: '2026-03-06' },
      ]),
      (instant) => instant.slice(0, 10),
    );
    const runs = text.split('\n').filter((line) => /^ {2}2026-03-0\d {2}/.test(line));
    expect(runs).toHaveLength(3);
    expect(new Set(runs.map((line) => line.search(/ (ok|attention)\b/))).size).toBe(1);
  });
});
