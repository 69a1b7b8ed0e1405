import { afterEach, describe, expect, it } from 'vitest';
import { startXeroFake, type RunningXeroFake } from '../../../sandbox/xero/fake.js';
import type { Books } from '../../support/books.js';
import { useTempDir } from '../../support/temp-dir.js';
import { clientHarness, entryId, spendEntry, xeroClientFor } from '../post-fixtures.js';
import { appendEntries, deliveryStates, openLedgerBooks } from '../post-books.js';
import { postOver } from './post-over-books.js';

const tempDir = useTempDir('ledgerline-post-restore-');
let running: RunningXeroFake | undefined;
const opened: Books[] = [];

afterEach(async () => {
  await running?.close();
  running = undefined;
  for (const books of opened.splice(0)) await books.close();
});

/**
 * Issue 73: books put back from a copy lack the deliveries of entries the copy did not hold; the night books those
 * entries again under the same ids. A journal found under the number the restore listed is this ledger's own,
 * confirmed; one under any other journal id is still another copy's, and the post stops unsent.
 */
describe('a post after a restore', () => {
  it('confirms the journals the restore listed as removed and refuses the rest, sending nothing again', async () => {
    const harness = clientHarness(tempDir());
    running = await startXeroFake({ now: () => harness.clock.now() });
    const server = running;
    const before = await openLedgerBooks(tempDir());
    const restored = await openLedgerBooks(tempDir());
    opened.push(before, restored);
    const entries = [spendEntry(1), spendEntry(2)];
    for (const books of [before, restored]) await appendEntries(books, entries);
    const post = (removedByRestore: ReadonlyMap<string, string>) =>
      postOver(restored, { client: xeroClientFor(server, harness), clock: harness.clock, removedByRestore });
    expect((await postOver(before, { client: xeroClientFor(server, harness), clock: harness.clock })).posted).toBe(2);
    const journalOf = new Map(
      server.fake
        .journals()
        .map((journal) => [/\[([^\]]+)\]$/.exec(journal.narration)![1]!, journal.manualJournalId] as const),
    );

    const halfListed = await post(new Map([[entryId(1), journalOf.get(entryId(1))!]]));
    expect(halfListed.stoppedBy?.error).toBe('JournalNumbersTakenError');
    expect(halfListed.stoppedBy?.message).toContain(`${entryId(2)} (Xero ${journalOf.get(entryId(2))})`);
    expect(halfListed.stoppedBy?.message).not.toContain(entryId(1));

    const listed = await post(new Map(journalOf));
    expect(listed).toMatchObject({ posted: 2, confirmedByLookup: 2 });
    expect(await deliveryStates(restored, 'xero')).toEqual({ [entryId(1)]: 'posted', [entryId(2)]: 'posted' });
    expect(server.fake.journals()).toHaveLength(2);
  });

  it('compares the journal the restore listed with the entry booked again: other amounts are named, nothing marked delivered', async () => {
    const harness = clientHarness(tempDir());
    running = await startXeroFake({ now: () => harness.clock.now() });
    const server = running;
    const before = await openLedgerBooks(tempDir());
    const restored = await openLedgerBooks(tempDir());
    opened.push(before, restored);
    await appendEntries(before, [spendEntry(1), spendEntry(2)]);
    // The night after the restore books entry 2 again from what the panel says now: 1.52, not the 1.02 posted.
    await appendEntries(restored, [spendEntry(1), spendEntry(2, '2024-02-15', 1_520_000n)]);
    expect((await postOver(before, { client: xeroClientFor(server, harness), clock: harness.clock })).posted).toBe(2);
    const journalOf = new Map(
      server.fake
        .journals()
        .map((journal) => [/\[([^\]]+)\]$/.exec(journal.narration)![1]!, journal.manualJournalId] as const),
    );

    const report = await postOver(restored, {
      client: xeroClientFor(server, harness),
      clock: harness.clock,
      removedByRestore: journalOf,
    });
    expect(report.stoppedBy?.error).toBe('RebookedJournalDiffersError');
    expect(report.stoppedBy?.exitCode).toBe(1);
    expect(report.stoppedBy?.message).toContain(
      `Xero journal ${journalOf.get(entryId(2))}, listed by the restore for entry ${entryId(2)}, does not hold what the entry booked again gives`,
    );
    expect(report.stoppedBy?.message).toMatch(/account \S+ there 1\.02, booked again 1\.52/);
    expect(report.stoppedBy?.message).toMatch(/account \S+ there -1\.02, booked again -1\.52/);
    expect(report.stoppedBy?.message).not.toContain(`entry ${entryId(1)},`);
    expect(report.posted).toBe(0);
    expect(await deliveryStates(restored, 'xero')).toEqual({});
    expect(server.fake.journals()).toHaveLength(2);
  });
});
