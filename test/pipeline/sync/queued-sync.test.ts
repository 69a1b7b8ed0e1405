import { describe, expect, it } from 'vitest';
import { EXIT } from '../../../src/errors.js';
import { recordedClosesExitCode, type RecordedClose } from '../../../src/pipeline/sync/queued-sync.js';

const close = (source: Partial<RecordedClose['sources'][number]>): RecordedClose => ({
  sources: [{ sourceId: 'smm-panel', outcome: 'booked', findings: 0, quarantined: 0, ...source }],
  findings: [],
});

describe('the exit code of a queued sync, read back from what the workers recorded', () => {
  it('is 0 when the only findings are for the record (a computed refund), as a local sync', () => {
    expect(recordedClosesExitCode([close({ findings: 1, actionItems: [], informationItems: 1 })])).toBe(EXIT.ok);
  });

  it('is 1 for an action item or a quarantined reply, and 3 for a failed source', () => {
    expect(recordedClosesExitCode([close({ findings: 1, actionItems: [{ id: 'finding:1' }] })])).toBe(EXIT.attention);
    expect(recordedClosesExitCode([close({ quarantined: 1, actionItems: [] })])).toBe(EXIT.attention);
    expect(recordedClosesExitCode([close({ outcome: 'failed' })])).toBe(EXIT.external);
  });

  it('counts every finding of a close recorded before action items were kept', () => {
    expect(recordedClosesExitCode([close({ findings: 2 })])).toBe(EXIT.attention);
  });
});
