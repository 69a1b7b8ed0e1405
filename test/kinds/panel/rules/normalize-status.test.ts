import { describe, expect, it } from 'vitest';
import { TERMINAL_STATUS, normalizeStatus } from '../../../../src/kinds/panel/rules/normalize-status.js';

describe('order status names', () => {
  it('match case, spaces, underscores and dashes away', () => {
    expect(
      ['Pending', 'Processing', 'In progress', 'in_progress', 'IN-PROGRESS', 'Active'].map(normalizeStatus),
    ).toEqual(['open', 'open', 'open', 'open', 'open', 'open']);
    expect(['Completed', 'complete', 'Done'].map(normalizeStatus)).toEqual(['completed', 'completed', 'completed']);
    expect(normalizeStatus('Partial')).toBe('partial');
    expect(['Canceled', 'Cancelled', 'cancel', 'Refunded', 'Rejected'].map(normalizeStatus)).toEqual([
      'canceled',
      'canceled',
      'canceled',
      'canceled',
      'canceled',
    ]);
    expect(['Failed', 'fail'].map(normalizeStatus)).toEqual(['failed', 'failed']);
  });

  it('anything else is unknown, and unknown is not terminal', () => {
    expect(['Paused', 'Error', ''].map(normalizeStatus)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(TERMINAL_STATUS.unknown).toBe(false);
  });

  it('Completed, Partial, Canceled and Failed are terminal; open is not', () => {
    expect(
      (['open', 'completed', 'partial', 'canceled', 'failed'] as const).map((status) => TERMINAL_STATUS[status]),
    ).toEqual([false, true, true, true, true]);
  });
});
