import type { z } from 'zod';
import { parseJsonExact } from '../money/index.js';
import { describeValue } from './wire-values.js';

export type JsonReading<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Parses a body with every number kept as its decimal text; never throws. */
export function readJson(bodyText: string): JsonReading<unknown> {
  try {
    return { ok: true, value: parseJsonExact(bodyText) };
  } catch {
    const start = bodyText.trimStart().slice(0, 40);
    return { ok: false, reason: bodyText.trim() === '' ? 'the body is empty' : `the body is not JSON (it starts ${JSON.stringify(start)})` };
  }
}

/** Checks a value against a wire schema; the reason names every field that is wrong and how. */
export function readWire<S extends z.ZodType>(schema: S, value: unknown): JsonReading<z.output<S>> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, reason: describeIssues(result.error.issues, value) };
}

/** "stats.earnings: missing; role: expected one of "publisher"|"advertiser"" */
export function describeIssues(issues: readonly z.core.$ZodIssue[], root: unknown): string {
  return issues
    .map((issue) => {
      const where = issue.path.length === 0 ? 'the reply' : issue.path.map(String).join('.');
      return `${where}: ${issueMessage(issue, issue.path.length === 0 ? root : undefined)}`;
    })
    .join('; ');
}

function issueMessage(issue: z.core.$ZodIssue, rootValue: unknown): string {
  if (issue.code === 'invalid_type') {
    if (/received undefined$/.test(issue.message)) return 'missing';
    if (issue.path.length === 0) return `expected ${issue.expected}, got ${describeValue(rootValue)}`;
  }
  return issue.message.replace(/^Invalid input: /, '').replace(/^Invalid option: /, '');
}
