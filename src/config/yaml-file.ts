import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Document, LineCounter } from 'yaml';
import type { ConfigProblem } from '../errors.js';
import type { KeyPath } from './key-path.js';

const require = createRequire(import.meta.url);

/**
 * yaml, loaded when a file is first parsed: a command whose configuration's and chart's checks are kept
 * (checked-cache.ts) parses none, and loadConfig, being synchronous, cannot import() it. The CLI's bundle carries
 * it as one file (scripts/bundle-cli.mjs, code-cache.ts): as a static import it was 225 KB of every command's chunks.
 */
export const yamlPackage = () => require('yaml') as typeof import('yaml');

/** A YAML file read for validation: its plain value, and the line each key path starts on. */
export interface YamlFile {
  file: string;
  value: unknown;
  lineOf(path: KeyPath): number | undefined;
}

type YamlReadResult = { ok: true; yaml: YamlFile } | { ok: false; problems: ConfigProblem[] };

/**
 * Reads and parses one YAML file. `failsafe` reads every scalar as text,
 * which keeps account codes like "0200" from turning into the number 200.
 * Syntax errors name the line but never quote it: the line may hold a secret.
 */
export function readYamlFile(file: string, options: { failsafe?: boolean } = {}): YamlReadResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, problems: [{ file, path: '', message: unreadableMessage(error) }] };
  }
  const { document, lineCounter } = parsedText(text, options.failsafe === true);
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => ({
        file,
        path: '',
        message: `YAML syntax: ${withoutExcerpt(error.message)}`,
      })),
    };
  }
  return {
    ok: true,
    yaml: { file, value: document.toJS({ maxAliasCount: 100 }), lineOf: (path) => lineOf(document, lineCounter, path) },
  };
}

/**
 * The last 32 texts parsed, by schema and text: a process checking its configuration again (each scheduled run, each
 * command a test runs in process) parsed the same chart every time, the larger part of the check. Each reading still
 * gets a value of its own (toJS); a document is only read.
 */
const parsedTexts = new Map<string, { document: Document; lineCounter: LineCounter }>();

function parsedText(text: string, failsafe: boolean) {
  const key = `${failsafe ? 'failsafe' : 'core'}\0${text}`;
  const kept = parsedTexts.get(key);
  if (kept !== undefined) return kept;
  const { LineCounter, parseDocument } = yamlPackage();
  const lineCounter = new LineCounter();
  const document = parseDocument(text, {
    lineCounter,
    prettyErrors: true,
    uniqueKeys: true,
    ...(failsafe ? { schema: 'failsafe' } : {}),
  });
  parsedTexts.set(key, { document, lineCounter });
  if (parsedTexts.size > 32) parsedTexts.delete(parsedTexts.keys().next().value!);
  return { document, lineCounter };
}

function unreadableMessage(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EISDIR') return 'is a folder, not a file';
  return `cannot be read (${code ?? 'unknown error'})`;
}

/** "Nested mappings are not allowed … at line 3, column 4:\n\n<the line>\n   ^" → its first line, without the quoted text. */
function withoutExcerpt(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/:\s*$/, '');
}

/** The line of the deepest node that exists along `path` (a missing key points at its parent). */
function lineOf(document: Document, lineCounter: LineCounter, path: KeyPath): number | undefined {
  for (let length = path.length; length >= 0; length -= 1) {
    const node: unknown = length === 0 ? document.contents : document.getIn(path.slice(0, length), true);
    if (yamlPackage().isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}
