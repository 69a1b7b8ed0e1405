import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../sandbox/sandbox-server.js';
import { FIVE_DAYS_ACROSS_MONTH_END as script } from './five-days-across-month-end.js';
import { setSandboxDay, type SyncedWorld, type Workspace } from './scenario-harness.js';
import { copiedSyncedWorld } from '../support/built-worlds.js';

interface Item {
  id: string;
  kind: string;
  class: 'action' | 'information';
  acknowledged: { by: string; at: string; note: string | null } | null;
  history: { action: 'ack' | 'unack'; by: string; at: string; note: string | null }[];
}

/**
 * Acknowledgements on the five days across the month end: the 20.00 top-up of
 * 04-01 is an action item (someone must match the bank side); R-2's computed
 * refund of 03-31 is information. Acknowledging the top-up makes the night
 * clean (exit 0); the top-up of 04-04 is a new item that the old word does not hide.
 */
describe('reconcile ack and unack', { timeout: 90_000 }, () => {
  let world: SyncedWorld | undefined;
  let sandbox: RunningSandbox;
  let workspace: Workspace;
  const items = async (asOf: string): Promise<{ code: number | null; items: Item[] }> => {
    const run = await workspace.run(['reconcile', '--as-of', asOf, '--json']);
    return { code: run.code, items: (JSON.parse(run.stdout) as { items: Item[] }).items };
  };

  beforeAll(async () => {
    world = await copiedSyncedWorld(script, 'reconcile-ack', [
      '2026-03-29',
      '2026-03-30',
      '2026-03-31',
      '2026-04-01',
      '2026-04-02',
    ]);
    ({ sandbox, workspace } = world);
  }, 90_000);

  afterAll(() => world?.close());

  it('splits action items from information, and exits 1 while an action item waits', async () => {
    const before = await items('2026-04-02');
    expect(before.code).toBe(1);
    const topUp = before.items.find((item) => item.kind === 'balance_rise');
    expect(topUp).toMatchObject({ class: 'action', acknowledged: null });
    expect(before.items.find((item) => item.kind === 'computed_refund')).toMatchObject({ class: 'information' });
  });

  it('ack with a note makes the night clean, is kept across runs with the user and time, and unack opens it again', async () => {
    const { items: listed } = await items('2026-04-02');
    const actions = listed.filter((item) => item.class === 'action');
    for (const item of actions) {
      const ack = await workspace.run([
        'reconcile',
        'ack',
        item.id,
        '--note',
        'matched bank transfer 4471',
        '--as-of',
        '2026-04-02',
      ]);
      expect(ack.code, ack.stderr).toBe(0);
      expect(ack.stdout).toContain(`acknowledged: ${item.id}`);
    }
    const after = await items('2026-04-02');
    expect(after.code).toBe(0);
    const topUp = after.items.find((item) => item.kind === 'balance_rise')!;
    expect(topUp.acknowledged).toMatchObject({ note: 'matched bank transfer 4471', by: expect.any(String) });
    expect(topUp.acknowledged!.by).not.toBe('');
    const text = await workspace.run(['reconcile', '--as-of', '2026-04-02']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('matched bank transfer 4471');

    expect((await workspace.run(['reconcile', 'unack', topUp.id, '--as-of', '2026-04-02'])).code).toBe(0);
    expect((await items('2026-04-02')).code).toBe(1);
    expect((await workspace.run(['reconcile', 'ack', topUp.id, '--as-of', '2026-04-02'])).code).toBe(0);
    const again = await items('2026-04-02');
    expect(again.code).toBe(0);
    // Acknowledged again without a note: the first note stays, and every word is kept in order.
    const reacked = again.items.find((item) => item.id === topUp.id)!;
    expect(reacked.acknowledged).toMatchObject({ note: 'matched bank transfer 4471' });
    expect(reacked.history.map((word) => [word.action, word.note])).toEqual([
      ['ack', 'matched bank transfer 4471'],
      ['unack', null],
      ['ack', null],
    ]);
    const history = await workspace.run(['reconcile', '--as-of', '2026-04-02']);
    expect(history.stdout).toMatch(
      /acknowledged by .+: matched bank transfer 4471\n\s+opened again by .+\n\s+acknowledged by /,
    );
  });

  it('a new top-up on a later day is a new item, not hidden by the old acknowledgement', async () => {
    for (const day of ['2026-04-03', '2026-04-04']) {
      await setSandboxDay(sandbox, day);
      expect((await workspace.syncDay(day)).code).toBeLessThan(2);
    }
    const later = await items('2026-04-04');
    expect(later.code).toBe(1);
    const rises = later.items.filter((item) => item.kind === 'balance_rise');
    expect(rises.map((item) => item.acknowledged === null)).toEqual([false, true]);
  });

  it('an id that is not listed is refused with the closest one, and nothing is recorded', async () => {
    const { items: listed } = await items('2026-04-04');
    const real = listed.find((item) => item.kind === 'balance_rise' && item.acknowledged === null)!.id;
    const typo = await workspace.run(['reconcile', 'ack', `${real}x`, '--as-of', '2026-04-04']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain(`did you mean "${real}"?`);
    expect((await items('2026-04-04')).code).toBe(1);
    expect((await workspace.run(['reconcile', 'acknowledge', real])).code).toBe(2);
  });
});
