import { z } from 'zod';

/**
 * A failed xero-node call, read back. xero-node rejects with a JSON *string*
 * ({"response":{"statusCode","body","headers"},"body"}) built from the axios
 * error; statusCode 0 means no HTTP answer came (the body is then the axios
 * message, e.g. "socket hang up" or "connect ECONNREFUSED 127.0.0.1:4100").
 */
export type XeroFailure =
  | { kind: 'reply'; status: number; headers: Readonly<Record<string, string>>; body: unknown }
  | { kind: 'no-reply'; message: string; neverSent: boolean };

const rejectionSchema = z.object({
  response: z.object({
    statusCode: z.number(),
    body: z.unknown().optional(),
    headers: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** Connection failures in which the request certainly never left this machine. */
const NEVER_SENT = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL)\b/;

/** Reads a xero-node rejection; anything that is not one (a programming error inside the SDK) is thrown again as it came. */
export function readXeroFailure(rejection: unknown): XeroFailure {
  if (typeof rejection !== 'string') throw rejection;
  let parsed: unknown;
  try {
    parsed = JSON.parse(rejection);
  } catch {
    return { kind: 'no-reply', message: 'xero-node failed without a readable error', neverSent: false };
  }
  const checked = rejectionSchema.safeParse(parsed);
  if (!checked.success)
    return { kind: 'no-reply', message: 'xero-node failed without a readable error', neverSent: false };
  const { statusCode, body, headers } = checked.data.response;
  if (statusCode === 0) {
    const message = typeof body === 'string' && body !== '' ? body : 'no answer';
    return { kind: 'no-reply', message, neverSent: NEVER_SENT.test(message) };
  }
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {}))
    if (typeof value === 'string') flat[name.toLowerCase()] = value;
  return { kind: 'reply', status: statusCode, headers: flat, body };
}

const problemSchema = z.object({
  Detail: z.string().optional(),
  Title: z.string().optional(),
  Message: z.string().optional(),
  Elements: z.array(z.object({ ValidationErrors: z.array(z.object({ Message: z.string() })).optional() })).optional(),
});

/**
 * The words Xero put in an error body: a problem's Detail or Title, or a
 * ValidationException's Message and the validation errors under it.
 */
export function xeroErrorText(body: unknown): string {
  if (typeof body === 'string') return body === '' ? 'no details' : body.slice(0, 500);
  const checked = problemSchema.safeParse(body);
  if (!checked.success) return 'no details';
  const { Detail, Title, Message, Elements } = checked.data;
  const validation = (Elements ?? []).flatMap((element) =>
    (element.ValidationErrors ?? []).map((error) => error.Message),
  );
  const head = Detail ?? Message ?? Title ?? 'no details';
  return validation.length === 0 ? head : `${head}: ${[...new Set(validation)].join('; ')}`;
}
