import { describe, expect, it } from 'vitest';
import { exceptionQueue } from '../../src/reads/exception-queue.js';
import { filteredQueue, renderExceptions } from '../../src/reads/exception-queue-text.js';
import { queueSection } from '../../src/reads/console/queue-section.js';

/** One entity with one open item that blocks a close. */
const queue = exceptionQueue([
  {
    entity: 'north',
    rows: [],
    quiet: [],
    lastSyncDay: '2026-03-06',
    mappingGaps: [],
    connections: [],
    tokens: [],
    tokenExpiryDays: 14,
    openItems: [
      {
        id: 'finding:panel-01:balance_fall:2026-03-02:2026-03-02',
        kind: 'balance_fall',
        date: '2026-03-02',
        message: 'panel balance 97.07408 USD is 3.11184 below what the ledger explains (100.18592)',
      },
    ],
  },
]);

describe('status --exceptions as text', () => {
  it('says an empty queue is clear', () => {
    expect(renderExceptions([])).toBe('nothing needs a person: every source is booked, nothing is open\n');
  });

  it('says a filter matched nothing, not that the practice is clear, while items outside it wait', () => {
    for (const filter of [
      { kind: 'failing' },
      { assignee: 'bob' },
      { kind: 'open_item', state: 'acknowledged' as const },
    ]) {
      const text = renderExceptions(filteredQueue(queue, filter), filter);
      expect(text).not.toContain('nothing needs a person');
      expect(text).toContain('`ledgerline status --exceptions` lists them all');
    }
    expect(renderExceptions([], { kind: 'failing', assignee: 'bob', state: 'open' })).toBe(
      'no item of the queue is open, of kind failing and assigned to bob (`ledgerline status --exceptions` lists them all)\n',
    );
  });

  it("says who acknowledged and when once: a note given with the ack is the ack's; a later note says its own author", () => {
    const at = '2026-03-07T09:00:00.000Z';
    const item = {
      ...queue[0]!,
      state: 'acknowledged' as const,
      acknowledged: { by: 'ana', at, note: 'account paused' },
      notes: [
        { by: 'ana', at, text: 'account paused' },
        { by: 'bob', at: '2026-03-07T10:00:00.000Z', text: 'client called back' },
      ],
    };
    const text = renderExceptions([item]);
    expect(text).toContain(`id:   ${item.id}  acknowledged by ana at ${at}\n            note: account paused\n`);
    expect(text).toContain('note: client called back (bob, 2026-03-07T10:00:00.000Z)');
    expect(text.match(/ana/g)).toHaveLength(1);
    expect(queueSection([item])).toContain(
      `acknowledged by ana at ${at}; note: account paused; note by bob: client called back`,
    );
  });
});
