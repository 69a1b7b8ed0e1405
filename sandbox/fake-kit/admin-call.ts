import { z } from 'zod';
import { jsonReply, type FakeReply } from './exchange.js';
import { readCents } from './values.js';

/**
 * A fake's admin call (a person's act at the vendor's screen, as a test asks for it): the JSON body read with
 * `schema` and applied. 400 for a body it cannot read, 404 when `apply` names what the fake does not hold
 * (a RangeError), 200 with what `apply` returns.
 */
export function adminCall<S extends z.ZodType>(
  body: Buffer,
  schema: S,
  apply: (request: z.output<S>) => Record<string, unknown>,
): FakeReply {
  let request: z.output<S>;
  try {
    request = schema.parse(JSON.parse(body.toString('utf8') || '{}'));
  } catch (error) {
    return jsonReply(400, {
      error:
        error instanceof z.ZodError
          ? error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')
          : 'the body is not valid JSON',
    });
  }
  try {
    return jsonReply(200, apply(request));
  } catch (error) {
    if (error instanceof RangeError) return jsonReply(404, { error: error.message });
    throw error;
  }
}

/** A signed amount a person types in an admin call, debit positive, read to cents: "1.50" → 150n, "-1.50" → -150n. */
export const AdminAmountSchema = z.string().transform((text, context) => {
  const reading = readCents(text);
  if (reading.ok) return reading.cents;
  context.addIssue({ code: 'custom', message: `"${text}" is not an amount in cents` });
  return z.NEVER;
});

/** At least two lines whose amounts sum to zero: a journal either vendor refuses otherwise, behind the lock as anywhere. */
export function balancedAdminLines<S extends z.ZodType<{ amount: bigint }>>(line: S) {
  return z
    .array(line)
    .min(2)
    .refine((lines) => lines.reduce((sum, item) => sum + item.amount, 0n) === 0n, 'the lines do not sum to zero');
}
