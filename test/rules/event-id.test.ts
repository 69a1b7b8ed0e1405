import { describe, expect, it } from 'vitest';
import { nextEventId } from '../../src/rules/event-id.js';

describe('event ids', () => {
  it('the first event of a date has the plain id, later ones on the same date are numbered', () => {
    const first = nextEventId('panel:smm-panel:order:23501:charge', '2026-03-02', undefined);
    expect(first).toEqual({
      id: 'panel:smm-panel:order:23501:charge:2026-03-02',
      sequence: { date: '2026-03-02', count: 1 },
    });
    const second = nextEventId('panel:smm-panel:order:23501:refund', '2026-03-02', first.sequence);
    expect(second).toEqual({
      id: 'panel:smm-panel:order:23501:refund:2026-03-02:2',
      sequence: { date: '2026-03-02', count: 2 },
    });
    expect(nextEventId('panel:smm-panel:order:23501:refund', '2026-03-03', second.sequence).id).toBe(
      'panel:smm-panel:order:23501:refund:2026-03-03',
    );
  });
});
