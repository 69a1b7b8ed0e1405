import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvStatementText } from '../../../sandbox/bank/statement-writers.js';
import { MONTH_END } from '../../scenarios/month-end-world.js';
import { bankStatementWorkspace } from '../../support/bank-statement-workspace.js';
import { builtWorld } from '../../support/built-worlds.js';
import { runLedgerline } from '../../support/cli.js';
import { askConsole } from '../../support/console-ledger.js';
import { serveInProcess, type ServingConsole } from '../../support/serve-in-process.js';
import { useTempDir } from '../../support/temp-dir.js';

/**
 * The month-end world after 04-30 (top-ups of 100.00 on 03-25 and 40.50 on 04-08, a payout of 55.00 on 03-31) with a
 * statement of three lines, by hand:
 *   operating:L-1  03-26  −100.00  CARD 4411 SMMPANEL  → the top-up of 03-25, by rule (its bank leg booked at the import)
 *   operating:L-2  04-01  −800.00  RENT APRIL          → no item: a stray line
 *   operating:L-3  04-25   −40.50  CARD 4412 SMMPANEL  → 17 days after the top-up of 04-08, outside the 10-day window: stray
 * The payout has no line (money in): no stray line is offered to it.
 */
const TOPUP_MARCH = 'panel:smm-panel:topup:2026-03-25';
const TOPUP_APRIL = 'panel:smm-panel:topup:2026-04-08';
const PAYOUT = 'payelancer:ads-publisher:payout:2026-03-31';
const line = (id: string, bookedOn: string, amountMicros: bigint, reference: string) => ({
  id,
  bookedOn,
  amountMicros,
  currency: 'USD',
  reference,
  description: 'CARD PAYMENT',
});
const STATEMENT = csvStatementText({
  account: 'US-OPERATING',
  currency: 'USD',
  from: '2026-03-01',
  to: '2026-04-30',
  lines: [
    line('L-1', '2026-03-26', -100_000_000n, 'CARD 4411 SMMPANEL'),
    line('L-2', '2026-04-01', -800_000_000n, 'RENT APRIL'),
    line('L-3', '2026-04-25', -40_500_000n, 'CARD 4412 SMMPANEL'),
  ],
});

const tempDir = useTempDir('ledgerline-console-bank-lines-');
let dir: string;
let serve: ServingConsole;
let host: string;

beforeAll(async () => {
  dir = await bankStatementWorkspace(
    tempDir(),
    (await builtWorld(MONTH_END)).ledgerAfter('2026-04-30'),
    'april.csv',
    STATEMENT,
  );
  serve = await serveInProcess(['--port', '0'], { cwd: dir, now: () => new Date('2026-05-01T09:00:00Z') });
  host = `127.0.0.1:${serve.port}`;
}, 120_000);
afterAll(async () => serve?.stop());

const unescape = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&');

/** The page over real HTTP: each line's row as [line, taken by, what its last cell offers], and the form's CSRF token. */
async function bankLinesPage(): Promise<{ rows: string[][]; csrf: string; html: string }> {
  const answer = await askConsole(new URL('/bank-lines', serve.url).toString(), { host });
  expect(answer.status).toBe(200);
  const body = /<table id="bank-line-rows">.*?<tbody>(.*?)<\/tbody>/s.exec(answer.body)?.[1] ?? '';
  const rows = [...body.matchAll(/<tr[^>]*>(.*?)<\/tr>/gs)].map((row) => {
    const cells = [...row[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((cell) => cell[1]!);
    const offered = [...cells[6]!.matchAll(/<option value="([^"]+)"/g)].map((option) => option[1]!);
    return [
      unescape(cells[1]!),
      unescape(cells[5]!),
      cells[6]!.includes('value="unmatch"') ? 'Unmatch' : `Match: ${offered.join(', ')}`,
    ];
  });
  return { rows, csrf: /name="csrf" value="([^"]+)"/.exec(answer.body)?.[1] ?? '', html: answer.body };
}

const decide = (fields: Record<string, string>, origin = `http://${host}`) =>
  askConsole(new URL('/bank-lines', serve.url).toString(), {
    host,
    method: 'POST',
    origin,
    body: new URLSearchParams(fields).toString(),
  });

describe("the console's bank-lines page", { timeout: 60_000 }, () => {
  it('lists every landed line with what took it, offers each stray line the open top-ups of its direction, and is linked from the console', async () => {
    const page = await bankLinesPage();
    expect(page.rows).toEqual([
      ['operating:L-1', `${TOPUP_MARCH} (matched, by rule)`, 'Unmatch'],
      ['operating:L-2', 'no payout or top-up', `Match: ${TOPUP_APRIL}`],
      ['operating:L-3', 'no payout or top-up', `Match: ${TOPUP_APRIL}`],
    ]);
    expect(unescape(/<table id="open-items">.*?<\/table>/s.exec(page.html)![0])).toContain(
      `${PAYOUT}payout2026-03-3155.00USDlate`,
    );
    expect((await askConsole(serve.url, { host })).body).toContain('<a href="/bank-lines">bank lines</a>');
  });

  it("refuses a post without the page's token or from another site, recording nothing", async () => {
    const { csrf } = await bankLinesPage();
    const noToken = await decide({ action: 'match', item: TOPUP_APRIL, line: 'operating:L-3' });
    const elsewhere = await decide(
      { csrf, action: 'match', item: TOPUP_APRIL, line: 'operating:L-3' },
      'https://evil.example',
    );
    expect([noToken.status, elsewhere.status]).toEqual([403, 403]);
    expect((await bankLinesPage()).rows[2]![1]).toBe('no payout or top-up');
  });

  it("refuses in the form's own words a line of the other direction", async () => {
    const { csrf } = await bankLinesPage();
    const wrongWay = await decide({ csrf, action: 'match', item: PAYOUT, line: 'operating:L-3' });
    expect([wrongWay.status, unescape(/<p>(.*?)<\/p>/s.exec(wrongWay.body)![1]!)]).toEqual([
      400,
      `${PAYOUT}: line operating:L-3 is money out in USD, and a payout takes money in in USD; nothing was recorded`,
    ]);
    expect(/<p>(.*?)<\/p>/s.exec(wrongWay.body)![1]).not.toMatch(/ledgerline|transit |--/);
  });

  it('unmatches a line whose bank leg is booked by booking its reversal, as transit unmatch does; Match takes it back', async () => {
    const unmatched = await decide({ csrf: (await bankLinesPage()).csrf, action: 'unmatch', item: TOPUP_MARCH });
    expect([unmatched.status, new URL(String(unmatched.headers.location), serve.url).searchParams.get('done')]).toEqual(
      [
        303,
        `unmatched: ${TOPUP_MARCH} is late now; the bank leg of its earlier line reversed by je:bank-leg-reversal:1:${TOPUP_MARCH}`,
      ],
    );
    expect((await bankLinesPage()).rows[0]).toEqual([
      'operating:L-1',
      'no payout or top-up',
      `Match: ${TOPUP_MARCH}, ${TOPUP_APRIL}`,
    ]);
    const matched = await decide({
      csrf: (await bankLinesPage()).csrf,
      action: 'match',
      item: TOPUP_MARCH,
      line: 'operating:L-1',
    });
    expect(matched.status).toBe(303);
    expect((await bankLinesPage()).rows[0]).toEqual(['operating:L-1', `${TOPUP_MARCH} (matched, by hand)`, 'Unmatch']);
  });

  it('matches a stray line to a top-up by hand as transit match does: the page and bank lines then say so', async () => {
    const { csrf } = await bankLinesPage();
    const matched = await decide({ csrf, action: 'match', item: TOPUP_APRIL, line: 'operating:L-3' });
    expect(matched.status).toBe(303);
    const back = new URL(String(matched.headers.location), serve.url);
    expect([back.pathname, back.searchParams.get('done')]).toEqual([
      '/bank-lines',
      `matched by hand: ${TOPUP_APRIL} takes operating:L-3 (matched); its bank leg booked, the line's amount out of clearing to the bank: je:bank-leg:${TOPUP_APRIL}`,
    ]);
    const page = await bankLinesPage();
    expect(page.rows[2]).toEqual(['operating:L-3', `${TOPUP_APRIL} (matched, by hand)`, 'Unmatch']);
    expect(page.rows[1]).toEqual(['operating:L-2', 'no payout or top-up', 'Match: ']);
    const cli = await runLedgerline(['bank', 'lines', '--json'], { cwd: dir });
    expect(
      (JSON.parse(cli.stdout) as { lines: { bankLine: string; takenBy: unknown }[] }).lines.find(
        (row) => row.bankLine === 'operating:L-3',
      )?.takenBy,
    ).toEqual({ item: TOPUP_APRIL, state: 'matched', by: 'hand' });
  });

  it("books the rent with the adjusting entry form's Settles bank line: the line is the entry's on the page and leaves bank lines --unmatched", async () => {
    const main = await askConsole(new URL('/', serve.url).toString(), { host });
    const csrf = /name="csrf" value="([^"]+)"/.exec(main.body)![1]!;
    const fields = {
      csrf,
      from: '2026-04-01',
      to: '2026-04-30',
      date: '2026-04-01',
      currency: '',
      debitAccount: 'suspense',
      debitAmount: '800.00',
      creditAccount: 'bank',
      creditAmount: '800.00',
      reason: 'rent April, to code',
      explains: '',
    };
    const post = (settles: string) =>
      askConsole(new URL('/adjust', serve.url).toString(), {
        host,
        method: 'POST',
        origin: `http://${host}`,
        body: new URLSearchParams({ ...fields, settles }).toString(),
      });
    const wrong = await post('operating:L-9');
    expect([wrong.status, unescape(/<p>(.*?)<\/p>/s.exec(wrong.body)![1]!)]).toEqual([
      400,
      expect.stringContaining('operating:L-9: no landed bank line has that id'),
    ]);
    const booked = await post('operating:L-2');
    expect([booked.status, new URL(String(booked.headers.location), serve.url).searchParams.get('done')]).toEqual([
      303,
      expect.stringMatching(
        /^adjust:Booked adjusting entry je:adjustment:2026-04-01:\d+, settling bank line operating:L-2/,
      ),
    ]);
    const page = await bankLinesPage();
    expect(page.rows[1]![1]).toMatch(/^je:adjustment:2026-04-01:\d+ \(adjusted, by hand\)$/);
    expect(page.html).toContain('booked by hand');
    const cli = await runLedgerline(['bank', 'lines', '--unmatched', '--json'], { cwd: dir });
    expect((JSON.parse(cli.stdout) as { lines: unknown[] }).lines).toEqual([]);
  });
});
