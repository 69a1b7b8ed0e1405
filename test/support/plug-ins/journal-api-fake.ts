import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One journal as the journal API holds it: amounts as decimal text, debit positive. */
export interface HeldJournal {
  id: string;
  reference: string;
  date: string;
  narration: string;
  lines: { account: string; amount: string }[];
}

/**
 * A small journal API, the shape of a book-keeping service's "create journal" endpoint, on 127.0.0.1:
 * - `GET /oauth/authorize?…&redirect_uri&state` answers 302 to the redirect with a one-use `code` (the person's Allow);
 *   `POST /oauth/token` takes that code (authorization_code) or a refresh token (refresh_token, rotated each time),
 *   the app's keys by HTTP Basic; `POST /oauth/revoke` ends a refresh token. Access tokens last 30 minutes.
 * - `POST /api/journals` with a bearer token and an `Idempotency-Key` header: `{"journals": [{reference, date,
 *   narration, lines: [{account, amount}]}]}` → `{"journals": [{reference, id}]}`; a key seen before answers the
 *   same again and stores nothing. `GET /api/journals?reference=a,b` or `?id=x,y` lists those held;
 *   `GET /api/balances?asOf=D` each account's sum through D; `GET /api/organisation` its name and currency.
 * `hangUpAtNextCreate()` makes it store the next create and drop the connection without an answer, then drop every
 * API call until `answerAgain()`: as a post killed just after its send leaves things, the journals there, nothing
 * recorded as posted.
 */
export interface JournalApiFake {
  url: string;
  tokenUrl: string;
  authorizeUrl: string;
  revokeUrl: string;
  journals(): HeldJournal[];
  /** Create requests that reached it (replays of a known key included). */
  creates(): number;
  hangUpAtNextCreate(): void;
  answerAgain(): void;
  close(): Promise<void>;
}

type Answer = (status: number, body: unknown) => void;

export async function startJournalApiFake(app: { clientId: string; clientSecret: string }): Promise<JournalApiFake> {
  const journals: HeldJournal[] = [];
  const replies = new Map<string, unknown>();
  const codes = new Set<string>();
  const refreshTokens = new Set<string>();
  const accessTokens = new Set<string>();
  const state = { creates: 0, hungUp: false, armed: false };

  function grant(answer: Answer): void {
    const access = `at-${randomUUID()}`;
    const refresh = `rt-${randomUUID()}`;
    accessTokens.add(access);
    refreshTokens.add(refresh);
    answer(200, { access_token: access, refresh_token: refresh, expires_in: 1800, token_type: 'Bearer' });
  }

  function oauth(request: IncomingMessage, url: URL, form: URLSearchParams, answer: Answer): void {
    const basic = `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`;
    if (url.pathname === '/oauth/revoke') {
      refreshTokens.delete(form.get('token') ?? '');
      return answer(200, {});
    }
    if (request.headers.authorization !== basic) return answer(401, { error: 'invalid_client' });
    const type = form.get('grant_type');
    const given = type === 'authorization_code' ? form.get('code') : form.get('refresh_token');
    const held = type === 'authorization_code' ? codes : refreshTokens;
    if (given === null || !held.delete(given)) return answer(400, { error: 'invalid_grant' });
    return grant(answer);
  }

  function create(body: string, key: string | undefined, answer: Answer): void {
    state.creates += 1;
    if (key === undefined) return answer(400, { error: 'an Idempotency-Key header is required' });
    if (replies.has(key)) return answer(201, replies.get(key));
    const posted = (JSON.parse(body) as { journals: Omit<HeldJournal, 'id'>[] }).journals.map((journal) => ({
      ...journal,
      id: `jr-${journals.length + 1}-${randomUUID().slice(0, 8)}`,
    }));
    journals.push(...posted);
    const reply = { journals: posted.map(({ reference, id }) => ({ reference, id })) };
    replies.set(key, reply);
    answer(201, reply);
  }

  function read(url: URL, answer: Answer): void {
    if (url.pathname === '/api/organisation') return answer(200, { name: 'Test Books Ltd', currency: 'USD' });
    if (url.pathname === '/api/balances') {
      const asOf = url.searchParams.get('asOf') ?? '9999-12-31';
      const sums = new Map<string, bigint>();
      for (const journal of journals.filter((held) => held.date <= asOf))
        for (const line of journal.lines) sums.set(line.account, (sums.get(line.account) ?? 0n) + cents(line.amount));
      return answer(200, { balances: [...sums].map(([account, sum]) => ({ account, balance: decimal(sum) })) });
    }
    const wanted = (name: string) => new Set((url.searchParams.get(name) ?? '').split(',').filter(Boolean));
    const [references, ids] = [wanted('reference'), wanted('id')];
    answer(200, { journals: journals.filter((held) => references.has(held.reference) || ids.has(held.id)) });
  }

  function route(request: IncomingMessage, response: ServerResponse, body: string): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const answer: Answer = (status, reply) =>
      void response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    if (url.pathname === '/oauth/authorize') {
      const code = `code-${randomUUID()}`;
      codes.add(code);
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.search = new URLSearchParams({ code, state: url.searchParams.get('state') ?? '' }).toString();
      return void response.writeHead(302, { location: back.toString() }).end();
    }
    if (url.pathname.startsWith('/oauth/')) return oauth(request, url, new URLSearchParams(body), answer);
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (bearer === undefined || !accessTokens.has(bearer)) return answer(401, { error: 'invalid_token' });
    if (request.method === 'POST' && url.pathname === '/api/journals') {
      state.hungUp ||= state.armed;
      const key = request.headers['idempotency-key'];
      create(body, typeof key === 'string' ? key : undefined, state.hungUp ? () => undefined : answer);
    } else if (!state.hungUp) read(url, answer);
    if (state.hungUp) request.socket.destroy();
  }

  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => route(request, response, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${root}/api`,
    tokenUrl: `${root}/oauth/token`,
    authorizeUrl: `${root}/oauth/authorize`,
    revokeUrl: `${root}/oauth/revoke`,
    journals: () => journals.map((journal) => ({ ...journal })),
    creates: () => state.creates,
    hangUpAtNextCreate: () => {
      state.armed = true;
    },
    answerAgain: () => {
      state.armed = false;
      state.hungUp = false;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** "12.50" → 1250n, "-0.40" → -40n: the fake's own reading, two decimals. */
function cents(amount: string): bigint {
  const [whole = '0', fraction = ''] = amount.replace('-', '').split('.');
  const value = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
  return amount.startsWith('-') ? -value : value;
}

function decimal(value: bigint): string {
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}
