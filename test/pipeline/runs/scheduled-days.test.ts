import { describe, expect, it } from 'vitest';
import { dayWindows, daysToPost, type ScheduledRunRecord } from '../../../src/pipeline/runs/scheduled-days.js';

const run = (asOf: string, synced: boolean, posts: ScheduledRunRecord['steps']['posts'] = []): ScheduledRunRecord => ({
  asOf,
  steps: { synced, posts },
});

describe('the days a scheduled run posts', () => {
  it('the day just synced, and nothing the scheduler did not sync (a backfilled day is never in its history)', () => {
    expect(
      daysToPost(
        [run('2026-03-01', true, [{ destination: 'xero', days: ['2026-03-01'], outcome: 'ok' }])],
        'xero',
        '2026-03-02',
      ),
    ).toEqual(['2026-03-02']);
  });

  it('a synced day whose post failed, was refused or was skipped is carried to the next run until a post of it ends clean', () => {
    const history = [
      run('2026-03-01', true, [{ destination: 'xero', days: ['2026-03-01'], outcome: 'failed' }]),
      run('2026-03-02', true, [{ destination: 'xero', days: ['2026-03-01', '2026-03-02'], outcome: 'attention' }]),
      run('2026-03-03', true, [
        { destination: 'xero', days: ['2026-03-01', '2026-03-02', '2026-03-03'], outcome: 'skipped' },
      ]),
    ];
    expect(daysToPost(history, 'xero', '2026-03-04')).toEqual(['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04']);
  });

  it('delivery is counted per destination', () => {
    const history = [
      run('2026-03-01', true, [
        { destination: 'xero', days: ['2026-03-01'], outcome: 'ok' },
        { destination: 'quickbooks', days: ['2026-03-01'], outcome: 'failed' },
      ]),
    ];
    expect(daysToPost(history, 'xero', '2026-03-02')).toEqual(['2026-03-02']);
    expect(daysToPost(history, 'quickbooks', '2026-03-02')).toEqual(['2026-03-01', '2026-03-02']);
  });

  it('a run whose sync booked nothing adds no day of its own, but still carries the pending ones', () => {
    const history = [run('2026-03-01', true), run('2026-03-02', false)];
    expect(daysToPost(history, 'xero', undefined)).toEqual(['2026-03-01']);
  });

  it('the same day synced again (a schedule every hour) is posted again: delivery is exactly once per entry anyway', () => {
    const history = [run('2026-03-04', true, [{ destination: 'xero', days: ['2026-03-04'], outcome: 'ok' }])];
    expect(daysToPost(history, 'xero', '2026-03-04')).toEqual(['2026-03-04']);
  });
});

describe('post windows', () => {
  it('consecutive days make one window', () => {
    expect(dayWindows(['2026-03-05', '2026-02-28', '2026-03-01', '2026-03-01'])).toEqual([
      { from: '2026-02-28', until: '2026-03-01' },
      { from: '2026-03-05', until: '2026-03-05' },
    ]);
  });
});
