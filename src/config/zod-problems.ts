import { z } from 'zod';
import type { ConfigProblem } from '../errors.js';
import { didYouMean } from './did-you-mean.js';
import { formatKeyPath, isPlainRecord, valueAt, type KeyPath } from './key-path.js';

/**
 * How a schema checks what is read once per process (a configuration file, a mappings file, a command's flags):
 * without zod's compiled fast path, which writes and compiles a function per object schema on its first parse
 * and pays back only over many parses. Counted by callgrind on `balances` at the demo ledger: 53 M fewer
 * instructions of 1.47 G with the whole process jitless.
 */
export const ONCE = { jitless: true } as const;

interface IssueSource {
  file: string;
  /** The schema that produced the issues, to suggest keys for a misspelt one. */
  schema: z.ZodType;
  /** What was validated, to tell a missing key from a wrong one. */
  document: unknown;
  lineOf(path: KeyPath): number | undefined;
  /** Where `document` sits in its file, when a part is validated alone. */
  prefix?: KeyPath;
}

/**
 * Turns zod issues into problems a user can act on. Messages are built from
 * the schema, never from the value: the value may be a secret.
 */
export function issueProblems(issues: readonly z.core.$ZodIssue[], source: IssueSource): ConfigProblem[] {
  return issues.flatMap((issue) => {
    const path = issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(source.schema, path, source.document);
      return issue.keys.map((key) => problemAt(source, [...path, key], `unknown key${didYouMean(key, known)}`));
    }
    return [problemAt(source, path, describe(issue, valueAt(source.document, path) === undefined))];
  });
}

/** `value` as `schema` reads it; else undefined, its problems added to `problems` at their place in the file (`prefix`). */
export function parseAt<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  file: Pick<IssueSource, 'file' | 'lineOf'>,
  prefix: KeyPath,
  problems: ConfigProblem[],
): z.output<Schema> | undefined {
  const parsed = schema.safeParse(value, ONCE);
  if (parsed.success) return parsed.data;
  problems.push(...issueProblems(parsed.error.issues, { ...file, schema, document: value, prefix }));
  return undefined;
}

export function problemAt(
  source: Pick<IssueSource, 'file' | 'lineOf' | 'prefix'>,
  path: KeyPath,
  message: string,
): ConfigProblem {
  const fullPath = [...(source.prefix ?? []), ...path];
  const line = source.lineOf(fullPath);
  return {
    file: source.file,
    path: formatKeyPath(fullPath),
    message: line === undefined ? message : `${message} (line ${line})`,
  };
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  array: 'a list',
};

function describe(issue: z.core.$ZodIssue, missing: boolean): string {
  switch (issue.code) {
    case 'invalid_type':
      if (missing) return 'is required';
      return issue.message.startsWith('Invalid input')
        ? `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`
        : issue.message;
    case 'invalid_union':
      if (issue.discriminator !== undefined && 'options' in issue) {
        const options = (issue.options ?? []).map(String).join(', ');
        return missing ? `is required (one of: ${options})` : `must be one of: ${options}`;
      }
      return issue.message;
    case 'invalid_value':
      if (missing) return 'is required';
      return issue.message.startsWith('Invalid')
        ? `must be one of: ${issue.values.map(String).join(', ')}`
        : issue.message;
    default:
      return issue.message;
  }
}

/** The keys an object at `path` may have, following the document through lists and tagged unions. */
function knownKeysAt(schema: z.ZodType, path: KeyPath, document: unknown): string[] {
  let current: z.ZodType | undefined = unwrap(schema, document);
  let value = document;
  for (const segment of path) {
    if (current instanceof z.ZodObject && typeof segment === 'string')
      current = current.shape[segment] as z.ZodType | undefined;
    else if (current instanceof z.ZodArray && typeof segment === 'number') current = current.element as z.ZodType;
    else return [];
    value = valueAt(value, [segment]);
    if (current === undefined) return [];
    current = unwrap(current, value);
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

/** Looks through optional/nullable/default/pipe wrappers, and picks a tagged union's member by the document's tag. */
function unwrap(schema: z.ZodType, value: unknown): z.ZodType {
  let current = schema;
  for (let depth = 0; depth < 20; depth += 1) {
    if (
      current instanceof z.ZodOptional ||
      current instanceof z.ZodNullable ||
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault
    ) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.in as z.ZodType;
    } else if (current instanceof z.ZodDiscriminatedUnion) {
      const { discriminator } = current.def;
      const tag = isPlainRecord(value) ? value[discriminator] : undefined;
      const member = (current.options as readonly z.ZodType[]).find((option) => {
        const field = option instanceof z.ZodObject ? option.shape[discriminator] : undefined;
        return field instanceof z.ZodLiteral && field.values.has(tag as never);
      });
      if (member === undefined) return current;
      current = member;
    } else {
      return current;
    }
  }
  return current;
}
