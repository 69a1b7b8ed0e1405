import { randomUUID } from 'node:crypto';
import { createSystemClock, type Clock, createHttpClient, type RetryPolicy } from '../http/index.js';
import type { Logger } from '../log/index.js';
import { messageOf } from '../errors.js';

/** One retry, a few seconds in all: a ping that cannot be sent must never hold up the night it reports on. */
const PING_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 2,
  maxTotalMs: 5_000,
  baseDelayMs: 250,
  maxDelayMs: 1_000,
};
const PING_TIMEOUT_MS = 2_000;
/** Healthchecks keeps a ping's body (up to its limit); a run's one line needs far less. */
export const PING_BODY_MAX_CHARS = 1_000;

/**
 * What an end ping says of its run, one fact a line (Healthchecks shows the body as sent): whose books (the entity,
 * with entities:), what ran and how it ended, and why it failed. A fact of another kind is one more field here and
 * one more line in pingBody.
 */
interface PingReport {
  readonly entity?: string | undefined;
  /** What ran: "sync as of 2026-03-03", "the scheduled night", "sync of the fleet (north, south)". */
  readonly label: string;
  /** How it ended, in words: "ok", "finished with items to look at", "failed". */
  readonly outcome: string;
  readonly exitCode: number;
  /** A failed run's reason, its first line. */
  readonly why?: string | undefined;
  /** The chain head the run left ("je:… sha256:… at position 97"): a witness the ledger file does not hold (issue 73). */
  readonly chainHead?: string | undefined;
}

/**
 * Example: { entity: 'north', label: 'sync as of 2026-03-03', outcome: 'failed', exitCode: 3, why: 'HTTP 502' } →
 * "north: sync as of 2026-03-03: failed (exit 3): HTTP 502".
 */
export function pingBody(report: PingReport): string {
  const whose = report.entity === undefined ? '' : `${report.entity}: `;
  const why = report.why === undefined ? '' : `: ${report.why}`;
  const head = report.chainHead === undefined ? [] : [`chain head ${report.chainHead}`];
  return [`${whose}${report.label}: ${report.outcome} (exit ${report.exitCode})${why}`, ...head].join('\n');
}

/** A Healthchecks-compatible check: `/start` when a run begins, `/<exit code>` when it ends, paired by `?rid=`. */
export interface RunPinger {
  /** Pings `/start` and gives the run id the end ping pairs with. */
  start(): Promise<string>;
  end(rid: string, exitCode: number, body: string): Promise<void>;
}

interface RunPingerOptions {
  /** The check's ping URL (`https://hc-ping.com/<uuid>`, or `…/<ping-key>/<slug>`). */
  url: string;
  logger: Logger;
  /** Hides the configured secrets (the ping URL among them) in anything logged. */
  redact: (text: string) => string;
  clock?: Clock;
  timeoutMs?: number;
  retry?: RetryPolicy;
}

/**
 * Pings never throw and never change a run's outcome: the first failure is logged once as a warning naming
 * the host only (the URL's path is the check's secret), and later pings are still tried.
 */
export function createRunPinger(options: RunPingerOptions): RunPinger {
  const { logger, redact } = options;
  const base = options.url.replace(/\/+$/, '');
  const host = new URL(base).host;
  let warned = false;

  async function ping(suffix: string, rid: string, body: string): Promise<void> {
    const http = createHttpClient({
      service: `the monitor ping at ${host}`,
      timeoutMs: options.timeoutMs ?? PING_TIMEOUT_MS,
      retry: options.retry ?? PING_RETRY_POLICY,
      clock: options.clock ?? createSystemClock(),
      redact,
      log: (line) => logger.debug(line),
    });
    try {
      const url = `${base}/${suffix}?rid=${rid}`;
      // A ping sent twice only records the same event twice: it is safe to retry.
      const reply = await http.request({
        method: 'POST',
        url,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: redact(body).slice(0, PING_BODY_MAX_CHARS),
        idempotent: true,
        what: `ping ${suffix}`,
      });
      if (reply.status < 200 || reply.status >= 300) warnOnce(`HTTP ${reply.status}`);
    } catch (error) {
      // The client's message may quote the URL: only its host is said.
      warnOnce(redact(messageOf(error).split(base).join(host)));
    } finally {
      await http.close();
    }
  }

  function warnOnce(why: string): void {
    if (warned) return;
    warned = true;
    logger.warn(
      `monitor ping to ${host} not delivered (${why}); the run goes on, but the monitor may report this check as down: check monitor.ping`,
    );
  }

  return {
    async start() {
      const rid = randomUUID();
      await ping('start', rid, '');
      return rid;
    },
    end: (rid, exitCode, body) => ping(String(exitCode), rid, body),
  };
}
