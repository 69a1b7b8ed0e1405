import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQuickBooksFake, type RunningQuickBooksFake } from '../../../sandbox/quickbooks/fake.js';

let quickbooks: RunningQuickBooksFake;
beforeAll(async () => {
  quickbooks = await startQuickBooksFake();
});
afterAll(async () => {
  await quickbooks.close();
});

const admin = async (body: unknown): Promise<{ status: number; body: Record<string, string> }> => {
  const response = await fetch(`${quickbooks.origin}/quickbooks/__admin/journal`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
};

describe('POST /quickbooks/__admin/journal: a person past the close date', () => {
  it('adds an entry inside the closed books, edits its lines and deletes it; refuses unbalanced lines (400) and an unknown id (404)', async () => {
    quickbooks.fake.setBookCloseDate('2024-02-29');
    const added = await admin({
      action: 'add',
      date: '2024-02-10',
      lines: [
        { accountId: '1', amount: '12.50' },
        { accountId: '2', amount: '-12.50' },
      ],
    });
    expect(added.status).toBe(200);
    const id = added.body.added!;
    const entry = () => quickbooks.fake.journalEntries().find((candidate) => candidate.id === id);
    expect(entry()).toMatchObject({
      txnDate: '2024-02-10',
      syncToken: '0',
      lines: [
        { accountId: '1', postingType: 'Debit', cents: 1250n },
        { accountId: '2', postingType: 'Credit', cents: 1250n },
      ],
    });

    expect(
      await admin({
        action: 'edit',
        id,
        lines: [
          { accountId: '1', amount: '-13.00' },
          { accountId: '2', amount: '13.00' },
        ],
      }),
    ).toEqual({ status: 200, body: { edited: id } });
    expect(entry()).toMatchObject({
      syncToken: '1',
      lines: [
        { postingType: 'Credit', cents: 1300n },
        { postingType: 'Debit', cents: 1300n },
      ],
    });

    const unbalanced = await admin({
      action: 'edit',
      id,
      lines: [
        { accountId: '1', amount: '13.00' },
        { accountId: '2', amount: '-12.99' },
      ],
    });
    expect([unbalanced.status, unbalanced.body.error]).toEqual([400, expect.stringContaining('do not sum to zero')]);
    expect(await admin({ action: 'delete', id })).toEqual({ status: 200, body: { deleted: id } });
    expect(entry()).toBeUndefined();
    expect((await admin({ action: 'delete', id })).status).toBe(404);
  });
});
