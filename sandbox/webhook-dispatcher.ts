import { createHmac } from 'node:crypto';
import { request } from 'undici';

/** The header a receiver checks: `sha256=<hex HMAC-SHA256 of the raw body>` with the shared secret. */
export const SIGNATURE_HEADER = 'x-ledgerline-signature';

export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export interface WebhookDispatcherOptions {
  readonly secret?: string;
  /** Attempts per webhook, the first included (default 3). */
  readonly maxAttempts?: number;
  /** Wait before each retry, in ms; the last value repeats (default [200, 1000]). */
  readonly retryDelaysMs?: readonly number[];
  /** Per attempt (default 2000 ms). */
  readonly timeoutMs?: number;
  /** Send as soon as queued (default); when false, only flush() sends. */
  readonly autoDeliver?: boolean;
  /** Webhooks held at most; past it the oldest is dropped and counted as failed (default 10000). */
  readonly maxPending?: number;
}

export interface WebhookCounts {
  readonly delivered: number;
  readonly failed: number;
  readonly pending: number;
}

export interface WebhookDispatcher {
  enqueue(url: string, body: string): void;
  /** Tries every pending webhook once now, waiting for the answers; retries still due later stay pending. */
  flush(): Promise<WebhookCounts>;
  counts(): WebhookCounts;
  /** Stops at once (an attempt in flight is aborted); whatever is pending is dropped. */
  close(): Promise<void>;
}

interface Delivery {
  readonly url: string;
  readonly body: string;
  attempts: number;
  dueAt: number;
}

/** The options with their defaults filled in. */
function settingsOf(options: WebhookDispatcherOptions) {
  const {
    maxAttempts = 3,
    retryDelaysMs: retryDelays = [200, 1000],
    timeoutMs = 2000,
    autoDeliver = true,
    maxPending = 10_000,
  } = options;
  return { maxAttempts, retryDelays, timeoutMs, autoDeliver, maxPending };
}

/**
 * Posts webhooks in the background, in order, with bounded retries: the API
 * never waits for a receiver. A webhook counts as delivered on a 2xx answer.
 */
export function createWebhookDispatcher(options: WebhookDispatcherOptions = {}): WebhookDispatcher {
  const { maxAttempts, retryDelays, timeoutMs, autoDeliver, maxPending } = settingsOf(options);
  const queue: Delivery[] = [];
  let delivered = 0;
  let failed = 0;
  let closed = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const shutdown = new AbortController();

  /** One pass over the queue: every delivery due (or all, when forced) is tried once, in order. */
  async function pass(force: boolean): Promise<void> {
    for (const delivery of [...queue]) {
      if (closed) return;
      if (!force && delivery.dueAt > Date.now()) continue;
      const ok = await attempt(delivery, options.secret, timeoutMs, shutdown.signal);
      if (ok || delivery.attempts >= maxAttempts) {
        queue.splice(queue.indexOf(delivery), 1);
        if (ok) delivered += 1;
        else failed += 1;
      } else {
        delivery.dueAt = Date.now() + (retryDelays[Math.min(delivery.attempts - 1, retryDelays.length - 1)] ?? 0);
      }
    }
    schedule();
  }

  function schedule(): void {
    if (closed || !autoDeliver || timer !== undefined || queue.length === 0) return;
    const wait = Math.max(0, Math.min(...queue.map((delivery) => delivery.dueAt)) - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      void run(false);
    }, wait);
    timer.unref();
  }

  function run(force: boolean): Promise<void> {
    running = running.then(() => pass(force));
    return running;
  }

  const counts = (): WebhookCounts => ({ delivered, failed, pending: queue.length });

  return {
    enqueue(url, body) {
      if (closed) return;
      queue.push({ url, body, attempts: 0, dueAt: 0 });
      if (queue.length > maxPending) {
        queue.shift();
        failed += 1;
      }
      if (autoDeliver) void run(false);
    },
    async flush() {
      await run(true);
      return counts();
    },
    counts,
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      shutdown.abort();
      await running;
      queue.length = 0;
    },
  };
}

/** Posts a delivery once: true when the receiver answered 2xx. */
async function attempt(
  delivery: Delivery,
  secret: string | undefined,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<boolean> {
  delivery.attempts += 1;
  try {
    const reply = await request(delivery.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(secret === undefined ? {} : { [SIGNATURE_HEADER]: webhookSignature(secret, delivery.body) }),
      },
      body: delivery.body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal,
    });
    await reply.body.dump();
    return reply.statusCode >= 200 && reply.statusCode < 300;
  } catch {
    return false;
  }
}
