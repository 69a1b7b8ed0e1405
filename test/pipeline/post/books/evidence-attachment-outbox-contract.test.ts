import { describe, expect, it } from 'vitest';
import type { EvidenceAttachmentTx } from '../../../../src/pipeline/post/books/evidence-attachment-outbox.js';
import type { JournalEntry } from '../../../../src/rules/index.js';
import { postBooksSubjects } from '../../../support/post-books-subjects.js';

/** The double and the store's adapter on each engine: one spec, so the double the unit tier uses cannot drift. */
const SUBJECTS = postBooksSubjects('ledgerline-evidence-attachments-');

const spend = (id: string, date: string): JournalEntry => ({
  id,
  date,
  sourceId: 'smm-panel',
  description: `SMM panel orders ${date}`,
  eventIds: [],
  lines: [
    { account: 'smm_services_expense', currency: 'USD', amountMicros: 1_000_000n },
    { account: 'panel_prepaid', currency: 'USD', amountMicros: -1_000_000n },
  ],
});
const at = '2024-03-01T00:00:00.000Z';
const file = (entryId: string, journalId: string, fileName = `evidence-${entryId}.zip`) => ({
  entryId,
  journalId,
  fileName,
  manifestSha256: '0'.repeat(64),
});

describe.each(SUBJECTS)('the EvidenceAttachmentOutbox contract: $name', ({ open }) => {
  it('lists the journals posted there in date and entry order and keeps each file’s steps, an id winning over its intent', async () => {
    const subject = await open();
    await subject.ledger.appendEntries(
      [
        spend('je:b', '2024-02-14'),
        spend('je:a', '2024-02-15'),
        spend('je:c', '2024-02-14'),
        spend('je:d', '2024-02-13'),
      ],
      { now: new Date(at) },
    );
    await subject.postOutbox('xero').unit(async (tx) => {
      await tx.recordOutcomes(
        new Map([
          ['je:a', { status: 'posted', remoteId: 'mj-a' }],
          ['je:b', { status: 'posted', remoteId: 'mj-b' }],
          ['je:c', { status: 'posted', remoteId: 'mj-c' }],
          ['je:d', { status: 'refused', error: { message: 'locked' } }],
        ] as const),
        at,
      );
    });
    await subject.postOutbox('quickbooks').unit((tx) => tx.recordFound(new Map([['je:d', 'qb-d']]), at));
    const xero = subject.evidenceAttachments('xero');
    expect(await xero.postedJournals({})).toEqual([
      { entryId: 'je:b', journalId: 'mj-b' },
      { entryId: 'je:c', journalId: 'mj-c' },
      { entryId: 'je:a', journalId: 'mj-a' },
    ]);
    expect(await xero.postedJournals({ from: '2024-02-15' })).toEqual([{ entryId: 'je:a', journalId: 'mj-a' }]);
    expect(await xero.postedJournals({ until: '2024-02-13' })).toEqual([]);
    expect(await subject.evidenceAttachments('quickbooks').postedJournals({})).toEqual([
      { entryId: 'je:d', journalId: 'qb-d' },
    ]);

    await xero.unit(async (tx) => {
      await tx.recordIntent(file('je:b', 'mj-b'), at);
      await tx.recordIntent(file('je:c', 'mj-c'), at);
      await tx.recordAttached(file('je:c', 'mj-c'), 'att-c', 'found', at);
      await tx.recordAttached(file('je:a', 'mj-a', 'other.zip'), 'att-a', 'attached', at);
    });
    expect(await xero.steps(['je:a', 'je:b', 'je:c', 'je:z'])).toEqual(
      new Map([
        ['je:b\u0000evidence-je:b.zip', 'intent'],
        ['je:c\u0000evidence-je:c.zip', 'attached'],
        ['je:a\u0000other.zip', 'attached'],
      ]),
    );
    expect(await subject.evidenceAttachments('quickbooks').steps(['je:b'])).toEqual(new Map());

    // Each file's intent once and its id once (migration 0023's index): a second is refused, its unit keeps nothing.
    for (const again of [
      (tx: EvidenceAttachmentTx) => tx.recordIntent(file('je:c', 'mj-c'), at),
      (tx: EvidenceAttachmentTx) => tx.recordAttached(file('je:c', 'mj-c'), 'att-c2', 'attached', at),
    ])
      await expect(
        xero.unit(async (tx) => {
          await tx.recordIntent(file('je:a', 'mj-a'), at);
          await again(tx);
        }),
      ).rejects.toThrow(/evidence_attachment_steps_once/);
    expect(await xero.steps(['je:a'])).toEqual(new Map([['je:a\u0000other.zip', 'attached']]));

    const broken = new Error('the upload failed');
    await expect(
      xero.unit(async (tx) => {
        await tx.recordIntent(file('je:a', 'mj-a'), at);
        throw broken;
      }),
    ).rejects.toBe(broken);
    expect(await xero.steps(['je:a'])).toEqual(new Map([['je:a\u0000other.zip', 'attached']]));
  });
});
