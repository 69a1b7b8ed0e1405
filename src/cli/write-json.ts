import { printableLines } from '../log/index.js';
import type { CommandProcess } from './command.js';

/**
 * `value` as indented JSON on stdout, its bigints (micro-units) written as digits and its secrets redacted. A DEL, C1
 * or bidirectional control in a string is written as its \\u escape (JSON.stringify leaves them raw), the same
 * value to a reader of the JSON, nothing a terminal obeys.
 */
export function writeJson(context: CommandProcess, value: unknown): void {
  const json = JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item), 2);
  context.stdout.write(`${context.redact(printableLines(json))}\n`);
}
