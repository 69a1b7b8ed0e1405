import { describe, expect, it } from 'vitest';
import { InvariantViolation } from '../../../src/errors.js';
import { assertBookedPrepaid } from '../../../src/kinds/panel/panel-balance-chunk.js';
import type { JournalEntry } from '../../../src/rules/index.js';

const close = { sourceId: 'smm-panel', date: '2026-03-02', currency: 'USD' };

/** A day's entry: 0.54 of charges moved from panel_prepaid to the expense. */
const entry = (prepaidMicros: bigint): JournalEntry => ({
  id: 'je:smm-panel:2026-03-02',
  date: '2026-03-02',
  sourceId: 'smm-panel',
  description: 'smm-panel 2026-03-02: SMM order charges ×2',
  eventIds: [],
  lines: [
    { account: 'smm_services_expense', currency: 'USD', amountMicros: -prepaidMicros, description: 'charges' },
    { account: 'panel_prepaid', currency: 'USD', amountMicros: prepaidMicros, description: 'charges' },
  ],
});

const draftOf = (prepaidMicros: bigint) => ({
  netOf: (account: string, currency: string) =>
    account === 'panel_prepaid' && currency === 'USD' ? prepaidMicros : 0n,
});

describe('the prepaid a panel close books is the prepaid its draft decided', () => {
  it("passes when the entries move panel_prepaid by the draft's −0.54", () => {
    expect(() => assertBookedPrepaid([entry(-540_000n)], draftOf(-540_000n), close)).not.toThrow();
  });

  it("stops with InvariantViolation (exit 70), naming both figures, when the entries book −0.55 against the draft's −0.54", () => {
    const check = () => assertBookedPrepaid([entry(-550_000n)], draftOf(-540_000n), close);
    expect(check).toThrow(InvariantViolation);
    expect(check).toThrow(
      /panel close smm-panel 2026-03-02: the entries book -0.55 USD of panel_prepaid, the draft -0.54; nothing of the close's last unit was committed/,
    );
  });
});
