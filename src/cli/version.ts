import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../config/index.js';

/** ledgerline's version, as its package.json says. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
