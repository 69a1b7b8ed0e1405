import { createHttpClient, createSystemClock, type HttpClient, type RetryPolicy } from '../../http/index.js';
import { WITNESS_RECORD, type WitnessRecord } from './witness-log.js';
import { messageOf } from '../../errors.js';

/** How long one call to the URL witness may wait unless `witness.urlTimeoutMs` says otherwise. */
const URL_WITNESS_TIMEOUT_MS = 3_000;

/**
 * A few seconds in all: a witness that does not answer must not hold up the run it witnesses; what it missed is
 * sent by the next run that writes (sendMissingRecords). Scaled from the call's timeout: 3 s gives 4 s in all, backoff
 * from 200 ms to 1 s.
 */
function urlWitnessRetry(timeoutMs: number): RetryPolicy {
  return {
    maxAttempts: 3,
    maxTotalMs: Math.ceil((timeoutMs * 4) / 3),
    baseDelayMs: Math.ceil(timeoutMs / 15),
    maxDelayMs: Math.ceil(timeoutMs / 3),
  };
}

/** The URL witness as read: its records, or why it could not be read (said with its host only: the URL is a secret). */
export interface UrlWitnessRead {
  label: string;
  records: WitnessRecord[];
  unread?: string;
}

/** How the URL witness is named in every message: its host, never its path or query (which may carry the token). */
function urlWitnessLabel(url: string): string {
  return `the URL witness at ${new URL(url).host}`;
}

/**
 * Where the witness is called and how: a URL's user and password (`https://ledger:s3cret@witness.example/books`) are
 * taken out of it and sent as HTTP Basic auth, which the HTTP client would otherwise drop, so a witness behind
 * Basic auth refused every run. Example: user `ledger`, password `s3cret` → `authorization: Basic bGVkZ2VyOnMzY3JldA==`.
 */
function witnessTarget(url: string): { url: string; headers: Record<string, string>; secrets: string[] } {
  const parsed = new URL(url);
  if (parsed.username === '' && parsed.password === '') return { url, headers: {}, secrets: [] };
  const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  const basic = Buffer.from(credentials, 'utf8').toString('base64');
  const secrets = [parsed.password, decodeURIComponent(parsed.password), basic].filter((secret) => secret !== '');
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString(), headers: { authorization: `Basic ${basic}` }, secrets };
}

/** Text with the witness URL (with or without its credentials), its path and its password replaced by its host. */
function withHostOnly(url: string, text: string): string {
  const { host, origin, pathname } = new URL(url);
  const target = witnessTarget(url);
  let said = text.split(url).join(host).split(target.url).join(host).split(`${origin}${pathname}`).join(host);
  for (const secret of target.secrets) said = said.split(secret).join('***');
  return said;
}

/** Runs `work` with a client whose every message names the witness by its host only. */
async function withWitnessClient<T>(
  url: string,
  timeoutMs: number,
  work: (http: HttpClient) => Promise<T>,
): Promise<T> {
  const http = createHttpClient({
    service: urlWitnessLabel(url),
    timeoutMs,
    retry: urlWitnessRetry(timeoutMs),
    clock: createSystemClock(),
    redact: (text) => withHostOnly(url, text),
  });
  try {
    return await work(http);
  } finally {
    await http.close();
  }
}

/** Why a call to the witness failed, in words that name its host only. */
function failure(url: string, error: unknown): string {
  return withHostOnly(url, messageOf(error));
}

/**
 * Every record the URL witness holds (GET: one JSON record a line, as the witness file keeps them). Example: the
 * sandbox's witness at 127.0.0.1:8787 answering two lines → two records; refused with HTTP 503 → unread "HTTP 503".
 */
export async function readUrlWitness(url: string, timeoutMs = URL_WITNESS_TIMEOUT_MS): Promise<UrlWitnessRead> {
  const label = urlWitnessLabel(url);
  const target = witnessTarget(url);
  try {
    const reply = await withWitnessClient(url, timeoutMs, (http) =>
      http.request({
        method: 'GET',
        url: target.url,
        headers: { accept: 'application/x-ndjson', ...target.headers },
        what: 'GET the witnessed heads',
      }),
    );
    if (reply.status < 200 || reply.status >= 300) return { label, records: [], unread: `HTTP ${reply.status}` };
    const records: WitnessRecord[] = [];
    for (const [index, line] of reply.bodyText.split('\n').entries()) {
      if (line.trim() === '') continue;
      const record = WITNESS_RECORD.safeParse(parsedOrUndefined(line));
      if (!record.success) return { label, records, unread: `its line ${index + 1} is not a witness record` };
      records.push(record.data);
    }
    return { label, records };
  } catch (error) {
    return { label, records: [], unread: failure(url, error) };
  }
}

function parsedOrUndefined(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

/** A record's identity, the same in the file and at the URL (both read through WITNESS_RECORD). */
export function recordKey(record: WitnessRecord): string {
  return JSON.stringify(record);
}

/**
 * The file's records the URL witness does not hold yet, sent to it in the file's order, each by a POST of the same
 * JSON record; the first that fails stops the rest (sent by the next run). A record sent twice is the same head
 * witnessed twice: harmless, so a POST is retried. Example: the witness was down on 04-01, so the file holds heads
 * 96 and 97 and the URL 95 → the run of 04-02 sends 96, 97 and its own 98.
 */
export async function sendMissingRecords(
  url: string,
  fileRecords: readonly WitnessRecord[],
  held: readonly WitnessRecord[],
  timeoutMs = URL_WITNESS_TIMEOUT_MS,
): Promise<{ sent: number; why?: string }> {
  const there = new Set(held.map(recordKey));
  const missing = fileRecords.filter((record) => !there.has(recordKey(record)));
  let sent = 0;
  const target = witnessTarget(url);
  try {
    await withWitnessClient(url, timeoutMs, async (http) => {
      for (const record of missing) {
        const reply = await http.request({
          method: 'POST',
          url: target.url,
          headers: { 'content-type': 'application/json', ...target.headers },
          body: JSON.stringify(record),
          idempotent: true,
          what: `POST the ${record.kind} witnessed on ${record.date}`,
        });
        if (reply.status < 200 || reply.status >= 300) throw new Error(`HTTP ${reply.status}`);
        sent += 1;
      }
    });
    return { sent };
  } catch (error) {
    return { sent, why: failure(url, error) };
  }
}
