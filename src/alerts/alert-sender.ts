import { spawn } from 'node:child_process';
import {
  createSystemClock,
  type Clock,
  createHttpClient,
  attemptResult,
  decideRetry,
  type RetryVerdict,
  type RetryWaits,
  retryLoop,
  backoffDelayMs,
  type RetryPolicy,
} from '../http/index.js';
import type { Logger } from '../log/index.js';
import { alertPayload, type Alert } from './alert.js';
import { messageOf } from '../errors.js';

const ALERT_CHANNELS = ['webhook', 'command'] as const;
type AlertChannel = (typeof ALERT_CHANNELS)[number];

/** How one channel fared with one alert. */
interface AlertDelivery {
  channel: AlertChannel;
  delivered: boolean;
  attempts: number;
}

export interface AlertSender {
  /**
   * Delivers to every configured channel. Never throws: an alert that cannot
   * be sent is logged (to `logger` when given: the run's own, so the lines carry its ids), and the run goes on.
   */
  send(alert: Alert, logger?: Logger): Promise<AlertDelivery[]>;
}

/** A few tries over about a minute at most: an alert is worth a retry, never worth holding up the next run. */
const ALERT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  maxTotalMs: 60_000,
  baseDelayMs: 1_000,
  maxDelayMs: 10_000,
};
const ALERT_TIMEOUT_MS = 10_000;

export interface AlertSenderOptions {
  /** A Slack-compatible incoming webhook: gets the alert as a JSON POST with `text`. */
  webhookUrl?: string | undefined;
  /** Run with `sh -c`, the alert as JSON on stdin; exit 0 means delivered. */
  command?: string | undefined;
  /** Where the command runs: the configuration file's folder, like every relative path in it. */
  cwd: string;
  env: Record<string, string | undefined>;
  logger: Logger;
  /** Applied to the whole alert before it leaves: no secret reaches a chat or a script. */
  redact: (text: string) => string;
  retry?: RetryPolicy;
  clock?: Clock;
  random?: () => number;
  /** Per attempt. */
  timeoutMs?: number;
}

export function createAlertSender(options: AlertSenderOptions): AlertSender {
  const { redact } = options;
  const sender: SenderParts = {
    options,
    retry: options.retry ?? ALERT_RETRY_POLICY,
    clock: options.clock ?? createSystemClock(),
    random: options.random ?? Math.random,
    timeoutMs: options.timeoutMs ?? ALERT_TIMEOUT_MS,
    redact,
  };
  return {
    async send(alert, logger = options.logger) {
      const body = redact(JSON.stringify(alertPayload(alert)));
      const deliveries = await Promise.all([
        ...(options.webhookUrl === undefined ? [] : [toWebhook(sender, options.webhookUrl, body, logger)]),
        ...(options.command === undefined ? [] : [toCommand(sender, options.command, body, logger)]),
      ]);
      for (const delivery of deliveries.filter((item) => item.delivered)) {
        logger.info(`${alert.kind} alert sent by ${delivery.channel}`, { alertKind: alert.kind });
      }
      return deliveries;
    },
  };
}

/** What both channels of one sender share: its options with their defaults filled in. */
interface SenderParts {
  options: AlertSenderOptions;
  retry: RetryPolicy;
  clock: Clock;
  random: () => number;
  timeoutMs: number;
  redact: (text: string) => string;
}

/** The alert POSTed to alerts.webhookUrl through the HTTP client's retries; a refusal or a failure is logged, never thrown. */
async function toWebhook(sender: SenderParts, url: string, body: string, logger: Logger): Promise<AlertDelivery> {
  const { timeoutMs, retry, clock, random, redact } = sender;
  const http = createHttpClient({
    service: 'alert webhook',
    timeoutMs,
    retry,
    clock,
    random,
    redact,
    log: (line) => logger.warn(line),
  });
  try {
    // Sent again on a dropped connection too: a duplicate alert is better than a lost one.
    const reply = await http.request({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      body,
      idempotent: true,
      what: 'POST alert',
    });
    const delivered = reply.status >= 200 && reply.status < 300;
    if (!delivered)
      logger.error(redact(`alert webhook refused the alert (HTTP ${reply.status}); check alerts.webhookUrl`));
    return { channel: 'webhook', delivered, attempts: http.counters().requests };
  } catch (error) {
    logger.error(redact(`alert not delivered to the webhook: ${messageOf(error)}`));
    return { channel: 'webhook', delivered: false, attempts: http.counters().requests };
  } finally {
    await http.close();
  }
}

/** The alert piped to alerts.command, run again on failure within the retry policy; a failure is logged, never thrown. */
async function toCommand(sender: SenderParts, command: string, body: string, logger: Logger): Promise<AlertDelivery> {
  const { options, timeoutMs, retry, clock, random, redact } = sender;
  let attempts = 0;
  try {
    // A command that failed is sent again like a lost connection to a receiver that takes duplicates.
    const waits: RetryWaits = { backoffMs: (attempt) => backoffDelayMs(attempt - 1, retry, random) };
    await retryLoop<void>(
      async (attempt) => {
        attempts = attempt;
        const failure = await runCommand(command, body, { cwd: options.cwd, env: options.env, timeoutMs });
        const verdict: RetryVerdict =
          failure === undefined
            ? { kind: 'answer' }
            : decideRetry(
                { kind: 'no-reply', mayHaveReachedServer: true },
                { attemptNumber: attempt, idempotent: true, nowMs: clock.now() },
                waits,
              );
        const said = failure ?? '';
        return attemptResult(verdict, () => undefined, {
          gaveUp: () => new Error(said),
          exhausted: () => new Error(said),
          reason: () => said,
        });
      },
      {
        clock,
        maxAttempts: retry.maxAttempts,
        maxTotalMs: retry.maxTotalMs,
        total: 'elapsed',
        onWait: (wait, attempt) =>
          logger.warn(
            redact(`alerts.command failed on attempt ${attempt} (${wait.reason}); retrying in ${wait.waitMs} ms`),
          ),
      },
    );
    return { channel: 'command', delivered: true, attempts };
  } catch (error) {
    const failure = messageOf(error);
    logger.error(
      redact(`alert not delivered by alerts.command after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${failure}`),
    );
    return { channel: 'command', delivered: false, attempts };
  }
}

/** Runs the alert command once; undefined when it exited 0, else why not. */
function runCommand(
  command: string,
  input: string,
  options: { cwd: string; env: Record<string, string | undefined>; timeoutMs: number },
): Promise<string | undefined> {
  return new Promise((resolve) => {
    // Its own process group, so a timeout ends the whole pipeline the shell started, not just the shell.
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'ignore', 'pipe'],
      detached: true,
    });
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }
    }, options.timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 2_000) stderr += chunk.toString('utf8');
    });
    // A command that never reads its input closes the pipe early; that alone is not a failure.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve(error.message);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) resolve(`no exit within ${options.timeoutMs} ms`);
      else if (code === 0) resolve(undefined);
      else
        resolve(
          `${code === null ? `killed by ${signal ?? 'a signal'}` : `exit ${code}`}${stderr.trim() ? `: ${stderr.trim().split('\n')[0]}` : ''}`,
        );
    });
  });
}
