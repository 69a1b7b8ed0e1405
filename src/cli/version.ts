import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../config/index.js';

/** `--version` (or `-v`) anywhere on the command line: answered before any command, or the rest of the CLI, loads. */
export function versionAsked(argv: readonly string[]): boolean {
  return argv.includes('--version') || argv.includes('-v');
}

/** ledgerline's version, as its package.json says. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
