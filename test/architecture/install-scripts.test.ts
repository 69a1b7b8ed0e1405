import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * npm 11 warns of a dependency whose install script `allowScripts` in package.json does not cover, and npm 12
 * skips that script: better-sqlite3's builds its native module, without which no ledger opens. Every package of
 * the lockfile with an install script is reviewed in `allowScripts`: allowed (true) when the product needs it.
 */
const root = join(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  allowScripts?: Record<string, boolean>;
};
const lockfile = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { hasInstallScript?: boolean; version?: string }>;
};

/** The names of the lockfile's packages that have an install script (node_modules/a/node_modules/b → b). */
function withInstallScripts(): string[] {
  return Object.entries(lockfile.packages)
    .filter(([path, entry]) => path !== '' && entry.hasInstallScript === true)
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length))
    .sort();
}

/** A key of allowScripts names a package alone or pinned (`name@version`); the scope's @ is the name's. */
function nameOf(key: string): string {
  const at = key.indexOf('@', 1);
  return at === -1 ? key : key.slice(0, at);
}

describe('install scripts', () => {
  it('allows better-sqlite3 its install script (its native module), so npm 12 builds it as npm 11 does', () => {
    expect(manifest.allowScripts?.['better-sqlite3']).toBe(true);
  });

  it('reviews, in allowScripts, every package of the lockfile that has an install script, and names none that has not', () => {
    const reviewed = Object.keys(manifest.allowScripts ?? {})
      .map(nameOf)
      .sort();
    expect(withInstallScripts()).toEqual(reviewed);
  });
});
