import { z } from 'zod';
import { jsonReply, type FakeReply } from './exchange.js';

/**
 * A fake's admin call (a person's act at the vendor's screen, as a test asks for it): the JSON body read with
 * `schema` and applied. 400 for a body it cannot read, 404 when `apply` names what the fake does not hold
 * (a RangeError), 200 with what `apply` returns.
 */
export function adminCall<S extends z.ZodType>(body: Buffer, schema: S, apply: (request: z.output<S>) => Record<string, unknown>): FakeReply {
  let request: z.output<S>;
  try {
    request = schema.parse(JSON.parse(body.toString('utf8') || '{}'));
  } catch (error) {
    return jsonReply(400, { error: error instanceof z.ZodError ? error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') : 'the body is not valid JSON' });
  }
  try {
    return jsonReply(200, apply(request));
  } catch (error) {
    if (error instanceof RangeError) return jsonReply(404, { error: error.message });
    throw error;
  }
}
