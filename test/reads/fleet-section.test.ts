import { describe, expect, it } from 'vitest';
import { fleetSection } from '../../src/reads/fleet-section.js';
import { fleetView } from '../../src/reads/fleet-view.js';

const rows = fleetView({
  sources: [
    { id: 'panel-01', kind: 'panel' },
    { id: 'panel-02', kind: 'panel' },
  ],
  yesterday: '2026-03-06',
  lastCloses: [
    { sourceId: 'panel-01', date: '2026-03-06' },
    { sourceId: 'panel-02', date: '2026-03-02' },
  ],
  lastSync: {
    sources: [
      { sourceId: 'panel-01', outcome: 'booked' },
      { sourceId: 'panel-02', outcome: 'booked' },
    ],
  },
  openOrders: [],
});
const href = (sort: string) => `/fleet?sort=${sort}`;

describe("the fleet section's words on its order", () => {
  it('says the most in need first for the default order, as status --fleet lists them', () => {
    for (const html of [fleetSection(rows), fleetSection(rows, { current: 'need', href })])
      expect(html).toContain('the most in need first, as <code>ledgerline status --fleet</code> lists them');
  });

  it('names the order the console was asked for and the command that lists it so, not the default', () => {
    const html = fleetSection(rows, { current: 'lag', href });
    expect(html).not.toContain('the most in need first');
    expect(html).toContain('by lag, as <code>ledgerline status --fleet --sort lag</code> lists them');
  });
});
