import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './source-tree.js';

/** Folders whose files the docs may name (what a clone holds, without its installs and builds). */
const SKIPPED = new Set(['node_modules', 'dist', '.git', 'coverage', 'test-artifacts']);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name)) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [relative(root, path)];
  });
}

/** A code file named in backticks: `src/cli/main.ts`, `panel-close.ts`, `chunks/package-yaml.cjs`. */
const NAMED_CODE_FILE = /`([A-Za-z0-9_./-]+\.(?:ts|mjs|cjs))`/g;

/**
 * The code files a document names that no file of the repository is: a path matches a file whose path ends with it
 * at a folder's start, so `sync/sync-night.ts` names src/pipeline/sync/sync-night.ts. A `.cjs` file is the build's
 * (scripts/bundle-cli.mjs writes them into dist/src/cli/), held to the bundle's own names.
 */
function missingNames(text: string, files: readonly string[], buildFiles: readonly string[]): string[] {
  const missing: string[] = [];
  for (const [, named] of text.matchAll(NAMED_CODE_FILE)) {
    const path = named!.replace(/^\.\//, '');
    const candidates = path.endsWith('.cjs') ? buildFiles : files;
    if (!candidates.some((file) => file === path || file.endsWith(`/${path}`))) missing.push(named!);
  }
  return [...new Set(missing)];
}

const docs = ['README.md', ...readdirSync(join(root, 'docs')).map((name) => join('docs', name))].filter((name) =>
  name.endsWith('.md'),
);

describe('the docs name only files that exist', () => {
  const files = filesUnder(root);
  // The bundle's fixed names (its chunks carry a content hash, so the docs name only these).
  const buildFiles = ['dist/src/cli/main.cjs', 'dist/src/cli/start.cjs', 'dist/src/cli/chunks/package-yaml.cjs'];

  it.each(docs)('every code file %s names is in the repository', (doc) => {
    expect(missingNames(readFileSync(join(root, doc), 'utf8'), files, buildFiles)).toEqual([]);
  });

  it('names a file that was moved or deleted', () => {
    const text = 'see `pipeline/sync/built-in-closers.ts` and `sync/sync-night.ts`, and `chunks/gone.cjs`';
    expect(missingNames(text, ['src/pipeline/sync/sync-night.ts'], buildFiles)).toEqual([
      'pipeline/sync/built-in-closers.ts',
      'chunks/gone.cjs',
    ]);
  });
});
