import { describe, expect, it } from 'vitest';
import { LedgerIntegrityError } from '../../src/errors.js';
import { storedRepliesHttp, type StoredReply } from '../../src/sources/stored-replies-http.js';

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const reply = (
  id: number,
  action: string,
  params: Record<string, string>,
  httpStatus: number,
  body: string,
): StoredReply => ({ id: BigInt(id), action, params, httpStatus, body });

describe('answering a replayed close from its stored replies', () => {
  const http = storedRepliesHttp('smm-panel', 'the close of 2026-03-31 (run r-7)', [
    reply(1, 'balance', { action: 'balance' }, 200, '{"balance":"79.10","currency":"USD"}'),
    reply(2, 'multiStatus', { action: 'multiStatus', orders: 'R-1,R-2' }, 429, 'slow down'),
    reply(3, 'multiStatus', { action: 'multiStatus', orders: 'R-1,R-2' }, 200, '{"R-1":{"status":"Completed"}}'),
    reply(4, 'multiStatus', { action: 'multiStatus', orders: 'R-3' }, 200, '{"R-3":{"status":"Pending"}}'),
  ]);

  it('matches the action and the parameters sent, whatever key the request carries', async () => {
    const answer = await http.request({
      method: 'POST',
      url: 'http://127.0.0.1:9/api/v2',
      headers: form,
      body: 'key=anything&action=multiStatus&orders=R-3',
      what: 'multiStatus',
    });
    expect(answer).toEqual({ status: 200, headers: {}, bodyText: '{"R-3":{"status":"Pending"}}' });
  });

  it('replays a retried request as its last answer (the 200 after a 429)', async () => {
    const answer = await http.request({
      method: 'POST',
      url: 'http://127.0.0.1:9/api/v2',
      headers: form,
      body: 'action=multiStatus&orders=R-1%2CR-2&key=k',
      what: 'multiStatus',
    });
    expect(answer.bodyText).toBe('{"R-1":{"status":"Completed"}}');
  });

  it('a request the close never made is an integrity error naming the close, never a guess', async () => {
    const asked = http.request({
      method: 'POST',
      url: 'http://127.0.0.1:9/api/v2',
      headers: form,
      body: 'key=k&action=multiStatus&orders=R-9',
      what: 'multiStatus',
    });
    await expect(asked).rejects.toThrow(LedgerIntegrityError);
    await expect(asked).rejects.toThrow(
      'smm-panel: the close of 2026-03-31 (run r-7) has no stored reply to multiStatus',
    );
  });

  it('reads query parameters of a GET as the raw row recorded them', async () => {
    const stats = storedRepliesHttp('ads-publisher', 'the close of 2026-03-30 (run r-2)', [
      reply(9, 'stats', {}, 200, '{"success":true}'),
    ]);
    expect(
      (await stats.request({ method: 'GET', url: 'http://127.0.0.1:9/backend/api/v1/stats.php', what: 'stats' }))
        .bodyText,
    ).toBe('{"success":true}');
    expect(stats.counters().requests).toBe(1);
  });
});
