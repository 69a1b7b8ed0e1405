import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CalendarDateSchema } from '../../../calendar/index.js';
import { LedgerlineError, RunInProgressError, UsageError } from '../../../errors.js';
import { listenOn } from '../../../http/listen.js';
import type { Acknowledgements } from '../acknowledgements.js';
import { financeReport, reportPage, type FinanceReportOptions, type PageAssets } from '../finance-report/index.js';
import { writeLedgerExport, type LedgerExportFormat, type LedgerExportRequest } from '../ledger-export.js';
import { reconcileReport, type ReconcileReads } from '../reconcile-report.js';
import { adjustingEntrySection, readAdjustingEntryForm, type AdjustingEntryForm } from './adjusting-entry-form.js';
import { CONSOLE_STYLE, consoleBar, messagePage, runsSection } from './console-page.js';
import { SECURITY_HEADERS, cookieValue, hostAllowed, isLoopback, sameOrigin, sameSecret } from './console-guard.js';

/** What an acknowledgement is written with: the books opened for writing, read again and written under the run lock. */
export interface AcknowledgingBooks {
  reads: ReconcileReads;
  acknowledgements: Acknowledgements;
}

export interface ConsoleOptions {
  /** What the pages and downloads read: books opened for reading. */
  reads: ReconcileReads;
  /** Runs one acknowledgement on books opened for writing, holding the run lock only while it runs. */
  acknowledging: <T>(work: (books: AcknowledgingBooks) => Promise<T>) => Promise<T>;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Required on any address but loopback: asked once (?token=…), then kept in a cookie. */
  accessToken: string | undefined;
  reportOptions: (window: { from: string | undefined; to: string | undefined }) => Promise<FinanceReportOptions>;
  assets: PageAssets;
  /** The formats the downloads offer, from the destination kinds. */
  exportFormats: readonly LedgerExportFormat[];
  exportRequest: (format: LedgerExportFormat, window: { from: string; to: string }) => LedgerExportRequest;
  /** Books an adjusting entry from the console's form (as `ledgerline adjust`), returning what was done; absent, no form is shown. */
  adjusting?: (form: AdjustingEntryForm) => Promise<string>;
  /** Who the acknowledgements are recorded as: the user running the console. */
  user: string;
  now: () => Date;
  log: (line: string) => void;
}

export interface RunningConsole {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const TOKEN_COOKIE = 'ledgerline_console';
/** A note and its form fit well inside this; a larger body is refused unread. */
const MAX_FORM_BYTES = 16 * 1024;

/** What a request handler answers with when it refuses: its status and a sentence for the person. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * `ledgerline serve`: the report live for any window, the findings with their forms, the recent runs, and
 * the exports, served from the ledger as it is now. Reads take no lock; an acknowledgement holds the run
 * lock only while it is written.
 */
export async function startConsole(options: ConsoleOptions): Promise<RunningConsole> {
  if (!isLoopback(options.host) && (options.accessToken === undefined || options.accessToken.length < 24)) {
    throw new UsageError(`serve --host ${options.host}: another address than 127.0.0.1 needs an access token of at least 24 characters`);
  }
  const csrfToken = randomBytes(32).toString('base64url');
  const server = createServer();
  await listenOn(server, options.port, options.host, 'serve');
  const port = (server.address() as AddressInfo).port;
  const named = options.host.includes(':') ? `[${options.host}]` : options.host;
  const hosts = [`${named}:${port}`, ...(isLoopback(options.host) ? [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`] : [])];
  const origins = hosts.map((host) => `http://${host}`);
  const context: RequestContext = { options, csrfToken, hosts, origins };
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    handle(context, request, response).catch((error: unknown) => answerError(context, response, error));
  });
  return {
    url: `http://${named}:${port}/`,
    server,
    close: () => new Promise<void>((resolve) => {
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
}

async function handle(context: RequestContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const { options } = context;
  if (!hostAllowed(request.headers, context.hosts)) throw new Refusal(421, `this console answers to ${context.hosts[0]} only`);
  const url = new URL(request.url ?? '/', 'http://console.invalid');
  if (options.accessToken !== undefined && !sameSecret(cookieValue(request.headers, TOKEN_COOKIE), options.accessToken)) {
    const given = url.searchParams.get('token') ?? undefined;
    if (request.method !== 'GET' || !sameSecret(given, options.accessToken)) throw new Refusal(401, 'this console needs its access token: open it with ?token=… as serve printed how to');
    url.searchParams.delete('token');
    const cookie = `${TOKEN_COOKIE}=${encodeURIComponent(options.accessToken)}; HttpOnly; SameSite=Strict; Path=/`;
    return redirect(response, `${url.pathname}${url.search}`, { 'set-cookie': cookie });
  }
  if (url.pathname === '/' && request.method === 'GET') return consolePage(context, url, response);
  if (url.pathname === '/export' && request.method === 'GET') return exportDownload(context, url, response);
  if (url.pathname === '/acknowledge' && request.method === 'POST') return acknowledge(context, request, response);
  if (url.pathname === '/adjust' && request.method === 'POST' && options.adjusting) return adjust(context, options.adjusting, request, response);
  if (['/', '/export', '/acknowledge', '/adjust'].includes(url.pathname)) throw new Refusal(405, `${request.method ?? 'this method'} is not answered at ${url.pathname}`);
  throw new Refusal(404, `nothing is served at ${url.pathname}`);
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

async function consolePage(context: RequestContext, url: URL, response: ServerResponse): Promise<void> {
  const { options } = context;
  const reportOptions = await options.reportOptions(windowOf(url));
  const report = await financeReport(options.reads, reportOptions);
  const acked = url.searchParams.get('done');
  const notice = acked === null ? undefined : acked.slice(0, 300);
  const page = reportPage(report, options.assets, {
    bar: `<style>${CONSOLE_STYLE}</style>${consoleBar(report, options.exportFormats.map((format) => format.name), notice)}`,
    controls: { csrfToken: context.csrfToken, from: report.from, to: report.to },
    after: `${options.adjusting ? adjustingEntrySection(report, reportOptions.chart.accounts, { csrfToken: context.csrfToken, from: report.from, to: report.to }) : ''}${runsSection(report)}`,
  });
  response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8' });
  response.end(page);
}

async function exportDownload(context: RequestContext, url: URL, response: ServerResponse): Promise<void> {
  const { options } = context;
  const format = options.exportFormats.find((known) => known.name === url.searchParams.get('format'));
  if (format === undefined) throw new Refusal(400, `format must be one of ${options.exportFormats.map((known) => known.name).join(', ')}`);
  const { from, to } = windowOf(url);
  if (from === undefined || to === undefined) throw new Refusal(400, 'an export needs its window: from=YYYY-MM-DD&to=YYYY-MM-DD');
  if (from > to) throw new Refusal(400, `from ${from} is after to ${to}`);
  const extension = format.fileExtension;
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': extension === 'csv' ? 'text/csv; charset=utf-8' : 'text/plain; charset=utf-8',
    'content-disposition': `attachment; filename="ledgerline-${format.name}-${from}-to-${to}.${extension}"`,
  });
  await writeLedgerExport(options.reads, options.exportRequest(format, { from, to }), response, true);
}

async function acknowledge(context: RequestContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const { options } = context;
  if (!sameOrigin(request.headers, context.origins)) throw new Refusal(403, 'refused: the request did not come from a page of this console');
  const form = new URLSearchParams(await readBody(request));
  if (!sameSecret(form.get('csrf') ?? undefined, context.csrfToken)) throw new Refusal(403, 'refused: the form is out of date or did not come from this console; reload the page and try again');
  const action = form.get('action');
  if (action !== 'ack' && action !== 'unack') throw new Refusal(400, 'action must be ack or unack');
  const itemId = form.get('item') ?? '';
  const window = windowOf(new URL(`/?${new URLSearchParams({ from: form.get('from') ?? '', to: form.get('to') ?? '' }).toString()}`, 'http://console.invalid'));
  const reportOptions = await options.reportOptions(window);
  if (window.to === undefined) throw new Refusal(400, 'the form lost its window; reload the page');
  const note = (form.get('note') ?? '').trim().slice(0, 500) || null;
  const done = await options.acknowledging(async (books) => {
    const item = (await reconcileReport(books.reads, window.to!, reportOptions.today, reportOptions.stuckAfterDays)).items.find((candidate) => candidate.id === itemId);
    if (item === undefined) throw new Refusal(404, `no open item has the id "${itemId.slice(0, 200)}" as of ${window.to}`);
    if (action === 'unack' && item.acknowledged === null) throw new Refusal(409, `${item.id} is not acknowledged`);
    await books.acknowledgements.recordAcknowledgement(item.id, { action, note: action === 'ack' ? note : null, user: options.user, at: options.now().toISOString() });
    return `${action === 'ack' ? 'Acknowledged' : 'Reopened'} ${item.id}${note && action === 'ack' ? `: ${note}` : ''}`;
  });
  options.log(done);
  const back = new URLSearchParams({ from: window.from ?? '', to: window.to, done });
  redirect(response, `/?${back.toString()}#${encodeURIComponent(itemId)}`);
}

/** The "Adjusting entry" form: the acknowledge form's checks (origin, CSRF), then `adjust`'s, whose refusals it answers with. */
async function adjust(context: RequestContext, adjusting: (form: AdjustingEntryForm) => Promise<string>, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (!sameOrigin(request.headers, context.origins)) throw new Refusal(403, 'refused: the request did not come from a page of this console');
  const form = new URLSearchParams(await readBody(request));
  if (!sameSecret(form.get('csrf') ?? undefined, context.csrfToken)) throw new Refusal(403, 'refused: the form is out of date or did not come from this console; reload the page and try again');
  const done = await adjusting(readAdjustingEntryForm(form));
  context.options.log(done);
  redirect(response, `/?${new URLSearchParams({ from: form.get('from') ?? '', to: form.get('to') ?? '', done: done.slice(0, 300) }).toString()}#adjustments`);
}

function redirect(response: ServerResponse, location: string, headers: Record<string, string> = {}): void {
  response.writeHead(303, { ...SECURITY_HEADERS, ...headers, location });
  response.end();
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        reject(new Refusal(413, 'the form is larger than a note needs'));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function answerError(context: RequestContext, response: ServerResponse, error: unknown): void {
  const status = error instanceof Refusal ? error.status : error instanceof RunInProgressError ? 409 : error instanceof LedgerlineError ? 400 : 500;
  const message = status === 500 ? 'the console hit a bug; the details are in its log' : (error as Error).message;
  if (status === 500) context.options.log(`console error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8' });
  response.end(messagePage(status, message));
}
