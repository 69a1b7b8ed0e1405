import { describe, expect, it } from 'vitest';
import type { Config, SourceConfig } from '../../../src/config/index.js';
import { AuthError, EXIT } from '../../../src/errors.js';
import { finding, type Finding } from '../../../src/rules/index.js';
import {
  ordersFileReaders,
  selectSources,
  syncExitCode,
  type SourceSyncReport,
  type SyncReport,
} from '../../../src/pipeline/runs/index.js';
import { isPanelSource } from '../../../src/kinds/panel/panel-config.js';
import { sourceKinds } from '../../../src/pipeline/kinds/index.js';

const panel = { kind: 'panel', id: 'smm-panel' } as SourceConfig;
const secondPanel = { kind: 'panel', id: 'smm-panel-2' } as SourceConfig;
const adNetwork = { kind: 'payelancer', id: 'payelancer' } as SourceConfig;

function sourceReport(fields: Partial<SourceSyncReport>): SourceSyncReport {
  return { sourceId: 'smm-panel', outcome: 'booked', events: 0, entries: [], findings: [], quarantined: 0, ...fields };
}

function report(sources: SourceSyncReport[], ordersFileProblems: string[] = []): SyncReport {
  return { asOf: '2026-03-04', dryRun: false, sources, ordersFileProblems };
}

/** The registered kinds' words: which of their findings are kept for the record. */
const words = sourceKinds.findingWords();

function found(kind: Finding['kind']): Finding {
  return finding({ kind, sourceId: 'smm-panel', date: '2026-03-04', ref: 'order 7', message: kind });
}

describe('what a sync or a backfill reports, read into its exit code', () => {
  it('a night that needs nobody is 0, even with a computed refund and a carried payout kept for the record', () => {
    expect(
      syncExitCode(
        report([sourceReport({ findings: [found('computed_refund'), found('payout_carried_forward')] })]),
        words,
      ),
    ).toBe(EXIT.ok);
  });

  it('an action finding, a quarantined reply or a skipped orders-file row is 1 (someone must look)', () => {
    expect(syncExitCode(report([sourceReport({ findings: [found('balance_fall')] })]), words)).toBe(EXIT.attention);
    expect(syncExitCode(report([sourceReport({ quarantined: 1 })]), words)).toBe(EXIT.attention);
    expect(syncExitCode(report([sourceReport({})], ['orders.csv line 7: quantity is not a number']), words)).toBe(
      EXIT.attention,
    );
  });

  it('a failed source is 3, whatever the others found', () => {
    const failed = sourceReport({
      sourceId: 'payelancer',
      outcome: 'failed',
      error: new AuthError('payelancer', 'HTTP 401'),
    });
    expect(syncExitCode(report([sourceReport({ findings: [found('balance_fall')] }), failed]), words)).toBe(
      EXIT.external,
    );
  });
});

describe('the sources a sync or a backfill takes', () => {
  const config = { file: '/books/ledgerline.yaml', sources: [panel, adNetwork] } as Config;

  it('every configured source by default, or those named, and an unknown name is refused naming the configured ones', () => {
    expect(selectSources(config, {}).map((source) => source.id)).toEqual(['smm-panel', 'payelancer']);
    expect(selectSources(config, { sourceIds: ['payelancer'] }).map((source) => source.id)).toEqual(['payelancer']);
    expect(() => selectSources(config, { sourceIds: ['smm'] })).toThrow(
      '--source smm: no such source in /books/ledgerline.yaml (configured: smm-panel, payelancer)',
    );
  });

  it('an --orders-file needs exactly one panel among them', () => {
    expect(ordersFileReaders([panel, adNetwork], { ordersFile: 'orders.csv' }, isPanelSource)).toEqual([panel]);
    expect(ordersFileReaders([panel, secondPanel], {}, isPanelSource)).toEqual([panel, secondPanel]);
    expect(() => ordersFileReaders([adNetwork], { ordersFile: 'orders.csv' }, isPanelSource)).toThrow(
      '--orders-file needs a panel source among those synced',
    );
    expect(() => ordersFileReaders([panel, secondPanel], { ordersFile: 'orders.csv' }, isPanelSource)).toThrow(
      '--orders-file needs --source when several panels are configured',
    );
  });
});
