import { z } from 'zod';
import { UpstreamError, messageOf } from '../errors.js';
import { undici } from '../http/index.js';
import { CalendarDateSchema } from '../calendar/index.js';

const SandboxDaySchema = z.object({ date: CalendarDateSchema });

/** One bounded GET: the sandbox is local, so a slow answer means it is not running. */
const SANDBOX_CLOCK_TIMEOUT_MS = 5_000;

/**
 * The day the sandbox is on (its admin endpoint `GET /__admin/day` answers {"date": "2026-03-05", …}): on a
 * sandbox trial it stands in for "yesterday", so a plain `ledgerline sync` follows the sandbox's calendar
 * instead of jumping to the machine's.
 */
export async function readSandboxDay(url: string): Promise<string> {
  const failed = (detail: string) =>
    new UpstreamError(
      'sandbox clock',
      `cannot read the sandbox's day from ${url} (${detail}); is \`ledgerline sandbox\` running? (sandboxClock in the configuration)`,
    );
  let text: string;
  try {
    // undici loads on first use (http/undici.ts): the read-only commands need it only on a sandbox trial.
    const reply = await undici().request(url, {
      method: 'GET',
      headersTimeout: SANDBOX_CLOCK_TIMEOUT_MS,
      bodyTimeout: SANDBOX_CLOCK_TIMEOUT_MS,
    });
    text = await reply.body.text();
    if (reply.statusCode !== 200) throw failed(`HTTP ${reply.statusCode}`);
  } catch (error) {
    if (error instanceof UpstreamError) throw error;
    throw failed((error as NodeJS.ErrnoException).code ?? messageOf(error));
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw failed('the reply is not JSON');
  }
  const parsed = SandboxDaySchema.safeParse(body);
  if (!parsed.success) throw failed('the reply has no "date"');
  return parsed.data.date;
}
