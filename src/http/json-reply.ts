import type { z } from 'zod';
import { parseJsonExact } from '../money/index.js';
import { describeValue } from './wire-readers.js';

export type JsonReading<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Parses a body with every number kept as its decimal text; never throws. */
export function readJson(bodyText: string): JsonReading<unknown> {
  try {
    return { ok: true, value: parseJsonExact(bodyText) };
  } catch {
    const start = bodyText.trimStart().slice(0, 40);
    return {
      ok: false,
      reason:
        bodyText.trim() === '' ? 'the body is empty' : `the body is not JSON (it starts ${JSON.stringify(start)})`,
    };
  }
}

/** How the reasons name what they are about; each reader keeps the words its callers know. */
export interface IssueWording {
  /** The value as a whole: "the reply" (a source's or destination's answer), "the body" (a webhook). */
  whole: string;
  /** What an object is called where one was expected: "object", "a JSON object". */
  object: string;
}

const REPLY_WORDING: IssueWording = { whole: 'the reply', object: 'object' };

/** Checks a value against a wire schema; the reason names every field that is wrong and how. */
export function readWire<S extends z.ZodType>(
  schema: S,
  value: unknown,
  wording: IssueWording = REPLY_WORDING,
): JsonReading<z.output<S>> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, reason: describeIssues(result.error.issues, value, wording) };
}

/** "stats.earnings: missing; role: expected one of "publisher"|"advertiser"; data: expected object, got text "5"" */
function describeIssues(issues: readonly z.core.$ZodIssue[], root: unknown, wording: IssueWording): string {
  return issues
    .map((issue) => {
      const where = issue.path.length === 0 ? wording.whole : issue.path.map(String).join('.');
      return `${where}: ${issueMessage(issue, valueAt(root, issue.path), wording)}`;
    })
    .join('; ');
}

function issueMessage(issue: z.core.$ZodIssue, value: unknown, wording: IssueWording): string {
  if (issue.code !== 'invalid_type') return issue.message.replace(/^Invalid (?:input|option): /, '');
  if (value === undefined) return 'missing';
  return `expected ${issue.expected === 'object' ? wording.object : issue.expected}, got ${describeValue(value)}`;
}

/** The value an issue is about; paths are as deep as the schemas, a few keys. */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || typeof key === 'symbol') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}
