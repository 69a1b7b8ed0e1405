import { isPlainRecord, type KeyPath } from './key-path.js';

/** The environment a command runs with; the CLI passes process.env in, nothing in config reads it. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** One string in the file that uses `${NAME}` references, and what became of them. */
export interface ReferenceSite {
  path: KeyPath;
  variables: readonly string[];
  /** Referenced but not in the environment. */
  unset: readonly string[];
  /** In the environment but empty, which is never a usable key or URL. */
  empty: readonly string[];
  /** Has a "${" that is not a well-formed ${NAME}. */
  malformed: boolean;
}

const REFERENCE = /\$\{([^}]*)(\}?)/g;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LEFT_REFERENCE = /\$\{[A-Za-z_][A-Za-z0-9_]*\}/;

/**
 * Replaces every `${NAME}` whose variable is set (and not empty) in every
 * string of a parsed YAML document. A reference that cannot be resolved is
 * left as written, so the value stays visibly unusable; the caller decides,
 * per part of the file, whether that is a problem.
 */
export function interpolate(document: unknown, env: Environment): { value: unknown; sites: ReferenceSite[] } {
  const sites: ReferenceSite[] = [];
  const visit = (value: unknown, path: KeyPath): unknown => {
    if (typeof value === 'string') return value.includes('${') ? substitute(value, path, env, sites) : value;
    if (Array.isArray(value)) return value.map((item, index) => visit(item, [...path, index]));
    if (isPlainRecord(value)) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, visit(item, [...path, key])]));
    }
    return value;
  };
  return { value: visit(document, []), sites };
}

/** Whether a value still holds a reference that was not resolved. */
export function holdsReference(text: string): boolean {
  return LEFT_REFERENCE.test(text);
}

function substitute(text: string, path: KeyPath, env: Environment, sites: ReferenceSite[]): string {
  const variables: string[] = [];
  const unset: string[] = [];
  const empty: string[] = [];
  let malformed = false;
  const result = text.replace(REFERENCE, (whole, name: string, closing: string) => {
    if (closing === '' || !VARIABLE_NAME.test(name)) {
      malformed = true;
      return whole;
    }
    variables.push(name);
    const value = env[name];
    if (value === undefined) unset.push(name);
    else if (value === '') empty.push(name);
    else return value;
    return whole;
  });
  sites.push({ path, variables, unset, empty, malformed });
  return result;
}
