import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { setImmediate } from 'node:timers/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CalendarDateSchema } from '../../calendar/index.js';
import { LedgerlineError, RunInProgressError, UsageError } from '../../errors.js';
import { listenOn } from '../../http/index.js';
import { cleanInput } from '../../log/index.js';
import { financeReport, type FinanceReportOptions, type PageAssets } from '../finance-report/index.js';
import { reportWindow } from '../finance-report/finance-report-data.js';
import { streamedReportPage } from '../finance-report/report-page.js';
import {
  exportFileFacts,
  writeLedgerExport,
  type LedgerExportFormat,
  type LedgerExportRequest,
} from '../ledger-export.js';
import type { ReconcileReads, StuckAfterDays } from '../reconcile-report.js';
import { adjustingEntrySection, readAdjustingEntryForm, type AdjustingEntryForm } from './adjusting-entry-form.js';
import { bankLinesPage, readHandMatchForm, type BankLinesShown, type HandMatchForm } from './bank-lines-page.js';
import { CONSOLE_STYLE, consoleBar, messagePage, runsSection } from './console-page.js';
import { answerPeriods, type PeriodsView } from './periods-page.js';
import { answerFleet } from './fleet-page.js';
import { answerVat, type VatPageReads } from './vat-page.js';
import { consoleHosts, cookieValue, hostAllowed, isLoopback, sameSecret, securityHeaders } from './console-guard.js';
import { answerHtml, freshNonce, headedOnFirstByte, postedForm, redirect, Refusal } from './console-http.js';

/** A person's word from the acknowledge form, on the items open as of the page's last day. */
interface ConsoleWord {
  itemId: string;
  action: 'ack' | 'unack';
  note: string | null;
  asOf: string;
  today: string;
  stuckAfterDays: StuckAfterDays;
}

interface ConsoleOptions {
  /** What the pages and downloads read: books opened for reading. */
  reads: ReconcileReads;
  /**
   * Records one word on books opened for writing, the items read again in the same unit under the ledger's lock,
   * holding the run lock only while it runs; returns the item's id (a refusal is a LedgerlineError, answered 400).
   */
  acknowledge: (word: ConsoleWord) => Promise<string>;
  host: string;
  /** Names and addresses the console also answers to (--allow-host), e.g. the office's DNS name for this machine. */
  allowHosts: readonly string[];
  /** This machine's addresses: listening on 0.0.0.0, the console answers to each. */
  machineAddresses: readonly string[];
  /** 0 picks a free port. */
  port: number;
  /** Required on any address but loopback: asked once (?token=…), then a session cookie of its own stands for it. */
  accessToken: string | undefined;
  reportOptions: (window: { from: string | undefined; to: string | undefined }) => Promise<FinanceReportOptions>;
  assets: PageAssets;
  /** The formats the downloads offer, from the destination kinds. */
  exportFormats: readonly LedgerExportFormat[];
  exportRequest: (format: LedgerExportFormat, window: { from: string; to: string }) => Promise<LedgerExportRequest>;
  /** What each destination's connection needs of a person, read at each page, in doctor's and status's words; none when all are connected. */
  connectionAdvice: () => readonly string[];
  /** The books' time zone: recorded instants are shown in it, with its name. */
  timeZone: string;
  /** Books an adjusting entry from the console's form (as `ledgerline adjust`), returning what was done; absent, no form is shown. */
  adjusting?: (form: AdjustingEntryForm) => Promise<string>;
  /** Each month open, closing or closed (the /periods page), read from the books opened for reading; absent, no such page. */
  periods?: () => Promise<PeriodsView>;
  /**
   * The /bank-lines page: every landed line and what took it, and a person's match or unmatch, recorded as
   * `transit match`/`unmatch` records it, returning what was done; absent, no such page.
   */
  bankLines?: { view: () => Promise<BankLinesShown>; decide: (form: HandMatchForm) => Promise<string> };
  /** /fleet: the fleet view of `status --fleet` in the order asked (?sort=ORDER), read at each GET; absent, no such page. */
  fleet?: Parameters<typeof answerFleet>[0];
  /** /vat: the return of a period (?period=2026-Q1) and its tax per code, read at each GET; absent, no such page. */
  vat?: VatPageReads;
  /** /metrics: the text `ledgerline metrics` prints (Prometheus' format 0.0.4), read at each GET; absent, no such page. */
  metrics?: () => Promise<string>;
  log: (line: string) => void;
}

interface RunningConsole {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const SESSION_COOKIE = 'ledgerline_console';
/** What a note may hold; the form says so and a longer one is refused, never cut. */
const NOTE_LIMIT = 500;
/**
 * The longest window a console page shows: a page is built while every other request waits, and holds a
 * row per day in each chart. 10 years is 3,653 days (measured: a 0.95 MB page in 0.34 s); longer windows are
 * for `ledgerline report`, which writes its file without holding anyone up (up to the calendar's 100 years).
 */
const CONSOLE_WINDOW_YEARS = 10;
/**
 * `ledgerline serve`: the report live for any window, the findings with their forms, the recent runs, and
 * the exports, served from the ledger as it is now. Reads take no lock; an acknowledgement holds the run
 * lock only while it is written.
 */
export async function startConsole(options: ConsoleOptions): Promise<RunningConsole> {
  if (!isLoopback(options.host) && (options.accessToken === undefined || options.accessToken.length < 24)) {
    throw new UsageError(
      `serve --host ${options.host}: another address than 127.0.0.1 needs an access token of at least 24 characters`,
    );
  }
  const csrfToken = randomBytes(32).toString('base64url');
  const server = createServer();
  await listenOn(server, options.port, options.host, 'serve');
  const port = (server.address() as AddressInfo).port;
  const named = options.host.includes(':') ? `[${options.host}]` : options.host;
  const hosts = consoleHosts(options.host, port, options.allowHosts, options.machineAddresses);
  const origins = hosts.map((host) => `http://${host}`);
  const context: RequestContext = { options, csrfToken, hosts, origins, sessions: new Set() };
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    handle(context, request, response).catch((error: unknown) => answerError(context, response, error));
  });
  return {
    url: `http://${named}:${port}/`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface RequestContext {
  options: ConsoleOptions;
  csrfToken: string;
  hosts: readonly string[];
  origins: readonly string[];
  /** The session ids handed out for the access token: the cookie carries one, never the token itself. */
  sessions: Set<string>;
}

async function handle(context: RequestContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const { options } = context;
  if (!hostAllowed(request.headers, context.hosts))
    throw new Refusal(421, `this console answers to ${context.hosts[0]} only`);
  const url = new URL(request.url ?? '/', 'http://console.invalid');
  if (options.accessToken !== undefined && !context.sessions.has(cookieValue(request.headers, SESSION_COOKIE) ?? '')) {
    const given = url.searchParams.get('token') ?? undefined;
    if (request.method !== 'GET' || !sameSecret(given, options.accessToken)) {
      // No link back here (it would answer 401 again): the way in, as serve printed it.
      throw new Refusal(
        401,
        `this console needs its access token: open http://${request.headers.host ?? context.hosts[0]}/?token= ` +
          `followed by the token serve was started with (LEDGERLINE_CONSOLE_TOKEN), as ledgerline serve ` +
          `printed; this browser is then let in until serve stops`,
      );
    }
    // The token is traded for a session id and taken out of the address, so history and bookmarks keep neither.
    url.searchParams.delete('token');
    const session = randomBytes(32).toString('base64url');
    context.sessions.add(session);
    return redirect(response, `${url.pathname}${url.search}`, {
      'set-cookie': `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`,
    });
  }
  if (url.pathname === '/' && request.method === 'GET') return consolePage(context, url, response);
  if (url.pathname === '/export' && request.method === 'GET') return exportDownload(context, url, response);
  if (url.pathname === '/periods' && request.method === 'GET' && options.periods)
    return answerPeriods(options.periods, context.options.timeZone, response);
  if (url.pathname === '/vat' && request.method === 'GET' && options.vat) return answerVat(options.vat, url, response);
  if (url.pathname === '/acknowledge' && request.method === 'POST') return acknowledge(context, request, response);
  if (url.pathname === '/adjust' && request.method === 'POST' && options.adjusting)
    return adjust(context, options.adjusting, request, response);
  if (url.pathname === '/bank-lines' && request.method === 'GET' && options.bankLines)
    return bankLines(context, options.bankLines.view, url, response);
  if (url.pathname === '/bank-lines' && request.method === 'POST' && options.bankLines)
    return decideLine(context, options.bankLines.decide, request, response);
  if (url.pathname === '/fleet' && request.method === 'GET' && options.fleet)
    return answerFleet(options.fleet, url, response);
  if (url.pathname === '/metrics' && request.method === 'GET' && options.metrics) {
    const text = await options.metrics();
    response.writeHead(200, {
      'content-type': 'text/plain; version=0.0.4; charset=utf-8',
      'cache-control': 'no-store',
    });
    return void response.end(text);
  }
  if (/^\/(export|periods|acknowledge|adjust|bank-lines|fleet|vat|metrics)?$/.test(url.pathname))
    throw new Refusal(405, `${request.method ?? 'this method'} is not answered at ${url.pathname}`);
  throw new Refusal(404, `nothing is served at ${url.pathname}`);
}

/** What the bar says after a form: "ack:ID" back from /acknowledge reads "Acknowledged ID". */
function noticeOf(url: URL): string | undefined {
  const done = /^(ack|unack|adjust):(.{1,300})$/s.exec(url.searchParams.get('done') ?? '');
  if (done === null) return undefined;
  return done[1] === 'adjust' ? done[2] : `${done[1] === 'ack' ? 'Acknowledged' : 'Reopened'} ${done[2]}`;
}

function windowOf(url: URL): { from: string | undefined; to: string | undefined } {
  const date = (name: 'from' | 'to') => {
    const value = url.searchParams.get(name);
    if (value === null || value === '') return undefined;
    const parsed = CalendarDateSchema.safeParse(value);
    if (!parsed.success) throw new Refusal(400, `${name} must be a date as YYYY-MM-DD, not "${value.slice(0, 40)}"`);
    return parsed.data;
  };
  return { from: date('from'), to: date('to') };
}

/**
 * The window a page shows: the one asked for, else the whole ledger when asked (`?whole=ledger`), else the
 * month to date of the latest entry, the first thing a finance person opens in the morning, which reads a
 * month of daily movements, not a year. Example: entries up to 2026-04-02 → 2026-04-01 to 2026-04-02.
 */
async function shownWindow(
  reads: ConsoleOptions['reads'],
  url: URL,
): Promise<{ from: string | undefined; to: string | undefined }> {
  const asked = windowOf(url);
  if (asked.from !== undefined || asked.to !== undefined || url.searchParams.get('whole') === 'ledger') return asked;
  const span = await reads.journalDateSpan();
  return span === null ? asked : { from: `${span.last.slice(0, 7)}-01`, to: span.last };
}

/**
 * The console's page, written as it is read: the window comes from the request and the ledger's date span
 * (one index look-up), so the head and the bar go out before the report's reads run; then the figures.
 */
async function consolePage(context: RequestContext, url: URL, response: ServerResponse): Promise<void> {
  const { options } = context;
  const reportOptions = {
    ...(await options.reportOptions(await shownWindow(options.reads, url))),
    longestWindowYears: CONSOLE_WINDOW_YEARS,
  };
  const window = await reportWindow(options.reads, reportOptions).catch((error: unknown) => {
    if (!(error instanceof UsageError)) throw error;
    throw new Refusal(
      400,
      `${error.message}. A console page shows up to ${CONSOLE_WINDOW_YEARS} years: choose a shorter ` +
        `window, or write the whole of it to a file with ledgerline report --from … --to …`,
    );
  });
  const nonce = freshNonce();
  const controls = { csrfToken: context.csrfToken, from: window.from, to: window.to, noteLimit: NOTE_LIMIT };
  const parts = streamedReportPage(
    window,
    () => financeReport(options.reads, reportOptions, window),
    options.assets,
    options.timeZone,
    {
      bar: `<style nonce="${nonce}">${CONSOLE_STYLE}</style>${consoleBar(
        window,
        options.exportFormats.map((format) => format.name),
        noticeOf(url),
        options.connectionAdvice(),
      )}`,
      controls,
      after: (when, report) =>
        `${options.adjusting ? adjustingEntrySection(report, reportOptions.chart.accounts, controls, reportOptions.today) : ''}${runsSection(report, when)}`,
      nonce,
    },
  );
  response.writeHead(200, { ...securityHeaders(nonce), 'content-type': 'text/html; charset=utf-8' });
  // Each part goes out as it is written (the head first), waiting while the socket is full: the page is never one string here.
  // A chunked write is corked until the next tick, and the reads run in promise jobs that come first: the
  // turn of the event loop after each write lets the head leave before the reads start.
  for await (const part of parts) {
    if (response.destroyed) return;
    await (response.write(part) ? setImmediate() : Promise.race([once(response, 'drain'), once(response, 'close')]));
  }
  response.end();
}

async function bankLines(
  context: RequestContext,
  view: () => Promise<BankLinesShown>,
  url: URL,
  response: ServerResponse,
): Promise<void> {
  const done = url.searchParams.get('done');
  answerHtml(response, bankLinesPage(await view(), context.csrfToken, done === null ? undefined : done.slice(0, 300)));
}

/** The bank-lines page's Match and Unmatch: the acknowledge form's checks (origin, CSRF), then the decision's own, whose refusals it answers with. */
async function decideLine(
  context: RequestContext,
  decide: (form: HandMatchForm) => Promise<string>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const form = await postedForm(context, request);
  const decision = readHandMatchForm(form);
  if (decision === undefined)
    throw new Refusal(400, 'the form asks neither Match nor Unmatch; reload the page and try again');
  if (decision.item === '') throw new Refusal(400, 'choose the payout or top-up first');
  const done = await decide(decision);
  context.options.log(done);
  redirect(response, `/bank-lines?${new URLSearchParams({ done: done.slice(0, 300) }).toString()}`);
}

async function exportDownload(context: RequestContext, url: URL, response: ServerResponse): Promise<void> {
  const { options } = context;
  const format = options.exportFormats.find((known) => known.name === url.searchParams.get('format'));
  if (format === undefined)
    throw new Refusal(400, `format must be one of ${options.exportFormats.map((known) => known.name).join(', ')}`);
  const { from, to } = windowOf(url);
  if (from === undefined || to === undefined)
    throw new Refusal(400, 'an export needs its window: from=YYYY-MM-DD&to=YYYY-MM-DD');
  if (from > to) throw new Refusal(400, `from ${from} is after to ${to}`);
  const exportRequest = await options.exportRequest(format, { from, to });
  const file = exportFileFacts(exportRequest, { from, to });
  const body = headedOnFirstByte(response, {
    ...securityHeaders(freshNonce()),
    'content-type': file.contentType,
    'content-disposition': `attachment; filename="${file.fileName}"`,
  });
  await writeLedgerExport(options.reads, exportRequest, body, true);
}

async function acknowledge(context: RequestContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const { options } = context;
  const form = await postedForm(context, request);
  const action = form.get('action');
  if (action !== 'ack' && action !== 'unack') throw new Refusal(400, 'action must be ack or unack');
  const itemId = form.get('item') ?? '';
  const window = windowOf(
    new URL(
      `/?${new URLSearchParams({ from: form.get('from') ?? '', to: form.get('to') ?? '' }).toString()}`,
      'http://console.invalid',
    ),
  );
  const reportOptions = await options.reportOptions(window);
  if (window.to === undefined) throw new Refusal(400, 'the form lost its window; reload the page');
  const note = (form.get('note') ?? '').trim() || null;
  if (note !== null && note.length > NOTE_LIMIT)
    throw new Refusal(
      400,
      `the note has ${note.length} characters; a note holds up to ${NOTE_LIMIT}: shorten it and acknowledge again`,
    );
  if (note !== null) cleanInput('the note', note);
  const done = await options.acknowledge({
    itemId,
    action,
    note,
    asOf: window.to,
    today: reportOptions.today,
    stuckAfterDays: reportOptions.stuckAfterDays,
  });
  options.log(
    `${action === 'ack' ? 'Acknowledged' : 'Reopened'} ${done}${note && action === 'ack' ? `: ${note}` : ''}`,
  );
  // The note stays in the books: the address back names only what was done, as history and logs keep addresses.
  const back = new URLSearchParams({ from: window.from ?? '', to: window.to, done: `${action}:${done}` });
  redirect(response, `/?${back.toString()}#${encodeURIComponent(itemId)}`);
}

/** The "Adjusting entry" form: the acknowledge form's checks (origin, CSRF), then `adjust`'s, whose refusals it answers with. */
async function adjust(
  context: RequestContext,
  adjusting: (form: AdjustingEntryForm) => Promise<string>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const form = await postedForm(context, request);
  const done = await adjusting(readAdjustingEntryForm(form));
  context.options.log(done);
  redirect(
    response,
    `/?${new URLSearchParams({ from: form.get('from') ?? '', to: form.get('to') ?? '', done: `adjust:${done.slice(0, 300)}` }).toString()}#adjustments`,
  );
}

function answerError(context: RequestContext, response: ServerResponse, error: unknown): void {
  const status =
    error instanceof Refusal
      ? error.status
      : error instanceof RunInProgressError
        ? 409
        : error instanceof LedgerlineError
          ? 400
          : 500;
  const message = status === 500 ? 'the console hit a bug; the details are in its log' : (error as Error).message;
  if (status === 500)
    context.options.log(`console error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  if (response.headersSent) {
    response.destroy();
    return;
  }
  answerHtml(
    response,
    (nonce) => messagePage(status, message, nonce),
    status,
    status === 413 ? { connection: 'close' } : {},
  );
}
