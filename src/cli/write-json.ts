import type { CommandProcess } from './command.js';

/** `value` as indented JSON on stdout, its bigints (micro-units) written as digits and its secrets redacted. */
export function writeJson(context: CommandProcess, value: unknown): void {
  context.stdout.write(
    `${context.redact(JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item), 2))}\n`,
  );
}
