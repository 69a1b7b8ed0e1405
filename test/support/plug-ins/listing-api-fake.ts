import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One transaction as the listing API lists it: an id, when it was posted (UTC), its amount as decimal text. */
export interface ListedTransaction {
  id: string;
  postedAt: string;
  amount: string;
  /** A marketplace's listing says what each line is (`type`) and, for a refund, the day of the sale it refunds. */
  type?: 'sale' | 'fee' | 'refund';
  saleDate?: string;
}

/**
 * A small paginated, date-windowed transactions API, the shape of a payment processor's "list charges":
 * `GET /api/transactions?from=YYYY-MM-DD&to=YYYY-MM-DD&tz=Area/City&page=N` with the key in `x-listing-key`
 * answers the transactions posted on those days in that time zone (both ends inclusive), oldest first, `PAGE_SIZE` a page:
 * `{"data": [{"id", "posted_at", "amount", "currency"}], "next_page": 2}` (`null` on the last page).
 * A wrong key is a 401, a missing or malformed window a 400. The test adds transactions; the fake counts requests.
 * Started with an opening balance, it is a wallet's API too: `GET /api/balance?at=YYYY-MM-DD&tz=Area/City` answers
 * `{"balance": "140.50", "currency": "USD"}`, the opening plus every transaction posted on or before that day.
 */
export const LISTING_PAGE_SIZE = 2;

export interface ListingApiFake {
  url: string;
  add(...transactions: ListedTransaction[]): void;
  requests(): number;
  close(): Promise<void>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export async function startListingApiFake(key: string, wallet?: { openingBalance: string }): Promise<ListingApiFake> {
  const transactions: ListedTransaction[] = [];
  let requests = 0;
  const server: Server = createServer((request, response) => {
    requests += 1;
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const answer = (status: number, body: unknown) =>
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const balance = wallet !== undefined && url.pathname === '/api/balance';
    if (request.method !== 'GET' || (url.pathname !== '/api/transactions' && !balance))
      return answer(404, { error: 'not found' });
    if (request.headers['x-listing-key'] !== key) return answer(401, { error: 'bad key' });
    const dayOf = new Intl.DateTimeFormat('en-CA', {
      timeZone: url.searchParams.get('tz') ?? 'UTC',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    if (balance) {
      const at = url.searchParams.get('at') ?? '';
      if (!DAY.test(at)) return answer(400, { error: 'at (YYYY-MM-DD) is required' });
      const cents = transactions
        .filter((tx) => dayOf.format(new Date(tx.postedAt)) <= at)
        .reduce((sum, tx) => sum + centsOf(tx.amount), centsOf(wallet.openingBalance));
      return answer(200, { balance: decimalOf(cents), currency: 'USD' });
    }
    const from = url.searchParams.get('from') ?? '';
    const to = url.searchParams.get('to') ?? '';
    const page = Number(url.searchParams.get('page') ?? '1');
    if (!DAY.test(from) || !DAY.test(to) || !Number.isInteger(page) || page < 1)
      return answer(400, { error: 'from, to (YYYY-MM-DD) and page (1, 2, …) are required' });
    const inWindow = transactions
      .filter((tx) => dayOf.format(new Date(tx.postedAt)) >= from && dayOf.format(new Date(tx.postedAt)) <= to)
      .sort((a, b) => (a.postedAt < b.postedAt ? -1 : 1));
    const slice = inWindow.slice((page - 1) * LISTING_PAGE_SIZE, page * LISTING_PAGE_SIZE);
    const more = page * LISTING_PAGE_SIZE < inWindow.length;
    return answer(200, {
      data: slice.map((tx) => ({
        ...{ id: tx.id, posted_at: tx.postedAt, amount: tx.amount, currency: 'USD' },
        ...(tx.type === undefined ? {} : { type: tx.type }),
        ...(tx.saleDate === undefined ? {} : { sale_date: tx.saleDate }),
      })),
      next_page: more ? page + 1 : null,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api`,
    add: (...added) => {
      transactions.push(...added);
    },
    requests: () => requests,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** "-2.00" → -200n: the fake adds whole cents, never floats. */
function centsOf(amount: string): bigint {
  const [whole = '0', fraction = ''] = amount.replace('-', '').split('.');
  const cents = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
  return amount.startsWith('-') ? -cents : cents;
}

function decimalOf(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}
