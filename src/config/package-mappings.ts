import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The mappings/ folder shipped with the package. This module runs from
 * src/config/ (tests, tsx) or dist/src/config/ (the built CLI), so the package
 * root is found by walking up to the nearest package.json rather than by a
 * fixed number of "..".
 */
export function packageMappingsDir(moduleUrl: string = import.meta.url): string {
  return join(packageRoot(moduleUrl), 'mappings');
}

/** The folder holding ledgerline's package.json, from src/ or dist/src/ alike. */
export function packageRoot(moduleUrl: string = import.meta.url): string {
  let folder = dirname(fileURLToPath(moduleUrl));
  for (let depth = 0; depth < 8; depth += 1) {
    if (existsSync(join(folder, 'package.json'))) return folder;
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  throw new Error(`no package.json above ${fileURLToPath(moduleUrl)}: the ledgerline package is incomplete`);
}
