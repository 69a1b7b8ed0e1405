import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXeroFake, type RunningXeroFake } from '../../../sandbox/xero/fake.js';

let xero: RunningXeroFake;
beforeAll(async () => {
  xero = await startXeroFake();
});
afterAll(async () => {
  await xero.close();
});

const admin = async (body: unknown): Promise<{ status: number; body: Record<string, string> }> => {
  const response = await fetch(`${xero.origin}/xero/__admin/journal`, { method: 'POST', body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
};

describe('POST /xero/__admin/journal: a person past the lock dates', () => {
  it('adds a posted journal inside a locked period, edits its lines and voids it; refuses unbalanced lines (400) and an unknown id (404)', async () => {
    xero.fake.setLockDates({ periodLockDate: '2024-02-29' });
    const lines = [
      { accountCode: '400', amount: '12.50' },
      { accountCode: '200', amount: '-12.50' },
    ];
    const added = await admin({ action: 'add', date: '2024-02-10', lines });
    expect(added.status).toBe(200);
    const id = added.body.added!;
    expect(xero.fake.journals().find((journal) => journal.manualJournalId === id)).toMatchObject({
      date: '2024-02-10',
      status: 'POSTED',
      lines: [{ cents: 1250n }, { cents: -1250n }],
    });

    const edit = [
      { accountCode: '400', amount: '13.00' },
      { accountCode: '200', amount: '-13.00' },
    ];
    expect(await admin({ action: 'edit', id, lines: edit })).toEqual({ status: 200, body: { edited: id } });
    expect(
      xero.fake
        .journals()
        .find((journal) => journal.manualJournalId === id)
        ?.lines.map((line) => line.cents),
    ).toEqual([1300n, -1300n]);
    expect(await admin({ action: 'void', id })).toEqual({ status: 200, body: { voided: id } });
    expect(xero.fake.journals().find((journal) => journal.manualJournalId === id)?.status).toBe('VOIDED');

    const unbalanced = await admin({ action: 'edit', id, lines: [edit[0], { accountCode: '200', amount: '-12.99' }] });
    expect([unbalanced.status, unbalanced.body.error]).toEqual([400, expect.stringContaining('do not sum to zero')]);
    expect((await admin({ action: 'void', id: 'nope' })).status).toBe(404);
  });
});
