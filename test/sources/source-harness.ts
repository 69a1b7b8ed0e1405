import type { RawReply } from '../../src/http/raw-reply.js';
import { createHttpClient, type HttpClient } from '../../src/http/http-client.js';
import { createFakeClock, type FakeClock } from '../http/fake-clock.js';

/** A raw store stand-in: keeps every landed reply and hands out ids 1, 2, 3 … */
export function createRawLog() {
  const replies: RawReply[] = [];
  return {
    replies,
    onRawReply: (reply: RawReply) => {
      replies.push(reply);
      return replies.length;
    },
  };
}

/** An HTTP client on a fake clock with a small retry budget; redaction is left to the source client. */
export function createTestHttp(service: string): { http: HttpClient; clock: FakeClock } {
  const clock = createFakeClock();
  const http = createHttpClient({
    service,
    timeoutMs: 2_000,
    retry: { maxAttempts: 3, maxTotalMs: 60_000, baseDelayMs: 100, maxDelayMs: 1_000 },
    clock,
    random: () => 1,
    redact: (text) => text,
  });
  return { http, clock };
}

export async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}
