import { describe, expect, it } from 'vitest';
import { InvariantViolation } from '../../../../src/errors.js';
import type { PostOutbox } from '../../../../src/pipeline/post/books/post-outbox.js';
import type { JournalEntry } from '../../../../src/rules/index.js';
import { postBooksSubjects, type PostBooksSubject } from '../../../support/post-books-subjects.js';

/** The double and the store's adapter on each engine: one spec, so the double the unit tier uses cannot drift. */
const SUBJECTS = postBooksSubjects('ledgerline-post-outbox-');

const spend = (index: number, date: string): JournalEntry => ({
  id: `je:smm-panel:${date}:${index}`,
  date,
  sourceId: 'smm-panel',
  description: `SMM panel orders ${date} #${index}`,
  eventIds: [],
  lines: [
    { account: 'smm_services_expense', currency: 'USD', amountMicros: 1_000_000n + BigInt(index) },
    { account: 'panel_prepaid', currency: 'USD', amountMicros: -1_000_000n - BigInt(index) },
  ],
});
const ENTRIES = [spend(1, '2024-02-01'), spend(2, '2024-02-02'), spend(3, '2024-02-03'), spend(4, '2024-02-04')];
const [A, B, C, D] = ENTRIES.map((entry) => entry.id) as [string, string, string, string];

async function booked(subject: PostBooksSubject): Promise<PostOutbox> {
  await subject.ledger.appendEntries(ENTRIES, { now: new Date('2024-03-01T00:00:00Z') });
  return subject.postOutbox('xero');
}

const t = (minute: number) => `2024-03-01T00:${String(minute).padStart(2, '0')}:00.000Z`;
/** The chain hashes each subject read: the same entries make the same chain on the double and both engines. */
const chainsSeen: Map<string, string>[] = [];

describe.each(SUBJECTS)('the PostOutbox contract: $name', ({ open }) => {
  it('marks a request sending before it leaves, each answer after, and reads back what is left to deliver', async () => {
    const outbox = await booked(await open());
    expect(await outbox.undeliveredIds({})).toEqual(new Set([A, B, C, D]));
    expect(await outbox.undeliveredIds({ from: '2024-02-02', until: '2024-02-03' })).toEqual(new Set([B, C]));

    const rate = new Map([[B, { rate: '1.25', source: 'fixed' }]]);
    await outbox.unit((tx) => tx.recordAttempt([B, A], 'req-2', rate, t(2)));
    await outbox.unit((tx) => tx.recordAttempt([C], 'req-1', new Map(), t(1)));
    expect((await outbox.openDeliveries()).map((row) => row.entryId)).toEqual([C, B, A]);
    expect((await outbox.deliveries([B, D])).get(B)).toEqual({
      entryId: B,
      state: 'sending',
      remoteId: null,
      requestKey: 'req-2',
      attempts: 1,
      lastError: null,
      updatedAt: t(2),
      exchangeRate: '1.25',
      rateSource: 'fixed',
    });
    expect([...(await outbox.deliveries([B, D])).keys()]).toEqual([B]);

    await outbox.unit(async (tx) => {
      await tx.recordOutcomes(
        new Map([
          [A, { status: 'posted', remoteId: 'remote-a' }],
          [B, { status: 'refused', error: { message: 'a locked period' } }],
        ] as const),
        t(3),
      );
      await tx.recordFound(new Map([[C, 'remote-c']]), t(4));
      await tx.recordSkipped([D], t(5));
    });
    const rows = await outbox.deliveries([A, B, C, D]);
    expect([A, B, C, D].map((id) => [rows.get(id)?.state, rows.get(id)?.remoteId, rows.get(id)?.lastError])).toEqual([
      ['posted', 'remote-a', null],
      ['refused', null, 'a locked period'],
      ['posted', 'remote-c', null],
      ['skipped', null, null],
    ]);
    expect(rows.get(B)).toMatchObject({ attempts: 1, requestKey: 'req-2', exchangeRate: '1.25', updatedAt: t(3) });
    expect(rows.get(D)).toMatchObject({ attempts: 0, requestKey: null, exchangeRate: null, updatedAt: t(5) });
    expect(await outbox.undeliveredIds({})).toEqual(new Set([B]));
    expect(await outbox.openDeliveries()).toEqual([]);

    await outbox.unit((tx) => tx.recordRefusals([{ entryId: A, reason: 'the destination holds it no more' }], t(6)));
    expect(await outbox.undeliveredIds({})).toEqual(new Set([A, B]));
  });

  it('puts a request certainly not carried out back as it was, its new rows gone; a unit that throws keeps nothing', async () => {
    const subject = await open();
    const outbox = await booked(subject);
    await outbox.unit((tx) => tx.recordRefusals([{ entryId: A, reason: 'locked' }], t(1)));
    const before = await outbox.deliveries([A, B]);
    await outbox.unit((tx) => tx.recordAttempt([A, B], 'req-1', new Map(), t(2)));
    expect((await outbox.deliveries([A])).get(A)).toMatchObject({ state: 'sending', attempts: 1 });
    await outbox.unit((tx) => tx.restore([A, B], before));
    expect(await outbox.deliveries([A, B])).toEqual(before);
    expect(await outbox.undeliveredIds({})).toEqual(new Set([A, B, C, D]));

    const broken = new Error('the post stopped');
    await expect(
      outbox.unit(async (tx) => {
        await tx.recordAttempt([C], 'req-2', new Map(), t(3));
        await tx.recordCalls?.('org-1', '2024-03-01', { calls: 3, vendorRemaining: 10 }, t(3));
        throw broken;
      }),
    ).rejects.toBe(broken);
    expect(await outbox.deliveries([C])).toEqual(new Map());
    expect(await outbox.callsUsed?.('org-1', '2024-03-01')).toBeUndefined();
    const other = subject.postOutbox('quickbooks');
    await other.unit((tx) => tx.recordAttempt([A], 'qb-1', new Map(), t(4)));
    expect((await outbox.deliveries([A])).get(A)?.state).toBe('refused');
    expect(await other.undeliveredIds({})).toEqual(new Set([B, C, D]));
  });

  it('a tx kept past its unit refuses as a bug and writes nothing', async () => {
    const outbox = await booked(await open());
    const kept = await outbox.unit(async (tx) => tx);
    await expect(kept.recordAttempt([A], 'req-1', new Map(), t(1))).rejects.toBeInstanceOf(InvariantViolation);
    await expect(kept.deliveries([A])).rejects.toBeInstanceOf(InvariantViolation);
    expect(await outbox.deliveries([A])).toEqual(new Map());
  });

  it("counts an organisation's calls per UTC day, keeping the vendor's last remaining figure", async () => {
    const outbox = await booked(await open());
    await outbox.unit((tx) => tx.recordCalls!('org-1', '2024-03-01', { calls: 40, vendorRemaining: undefined }, t(1)));
    // Exactly the port's two fields (CallsUsed), not the row they are kept in.
    expect(await outbox.callsUsed!('org-1', '2024-03-01')).toStrictEqual({ callsUsed: 40, vendorRemaining: undefined });
    await outbox.unit((tx) => tx.recordCalls!('org-1', '2024-03-01', { calls: 2, vendorRemaining: 960 }, t(2)));
    await outbox.unit((tx) => tx.recordCalls!('org-1', '2024-03-01', { calls: 1, vendorRemaining: undefined }, t(3)));
    expect(await outbox.callsUsed!('org-1', '2024-03-01')).toStrictEqual({ callsUsed: 43, vendorRemaining: 960 });
    expect(await outbox.callsUsed!('org-1', '2024-03-02')).toBeUndefined();
    expect(await outbox.callsUsed!('org-2', '2024-03-01')).toBeUndefined();
  });

  it('reads each entry’s chain hash, the same on every subject, and no adjusting entry waiting on fresh books', async () => {
    const outbox = await booked(await open());
    const hashes = await outbox.chainHashes([D, A, 'je:unknown', A]);
    expect([...hashes.keys()].sort()).toEqual([A, D]);
    expect(hashes.get(A)).toMatch(/^[0-9a-f]{64}$/);
    for (const seen of chainsSeen) expect(hashes).toEqual(seen);
    chainsSeen.push(hashes);
    expect(await outbox.awaitingApproval?.()).toEqual(new Set());
  });
});
