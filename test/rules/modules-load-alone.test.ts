import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import pLimit from 'p-limit';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const DIST = join(ROOT, 'dist', 'src');

/**
 * The pure core (src/rules) and each kind's rules, as built: src/rules/index.ts re-exports some kinds' rules (the
 * order and balance states the store reads), so those modules and the rules' index import each other. A module
 * whose top level uses a value from a module still loading in that cycle fails only when it is loaded first:
 * normalize-status.ts did (the order state's schema read ORDER_STATUSES before normalize-status.ts had run), a
 * ReferenceError under node and 33 unit files failing in vitest's shared workers.
 */
function coreModules(): string[] {
  const kinds = join(DIST, 'kinds');
  const folders = [join(DIST, 'rules'), ...readdirSync(kinds).map((kind) => join(kinds, kind, 'rules'))].filter(
    (folder) => existsSync(folder),
  );
  return folders.flatMap((folder) =>
    readdirSync(folder, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.js'))
      .map((name) => join(folder, name)),
  );
}

/** The module imported as the first of a fresh node process: undefined when it loads, else what node printed. */
function loadAlone(path: string): Promise<string | undefined> {
  const code = `await import(${JSON.stringify(pathToFileURL(path).href)});`;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--input-type=module', '-e', code], { timeout: 60_000 }, (error, _out, stderr) =>
      resolve(error === null ? undefined : `${relative(ROOT, path)}: ${stderr.split('\n').slice(0, 5).join(' ')}`),
    );
  });
}

describe('each module of the rules loads on its own, whatever was loaded before it', () => {
  it('imports every module of src/rules and src/kinds/*/rules first in a process of its own', async () => {
    expect(existsSync(DIST), 'the built dist/ (npm run build; npm test builds it first)').toBe(true);
    const modules = coreModules();
    expect(modules.length).toBeGreaterThan(30);
    const limit = pLimit(2);
    const failures = await Promise.all(modules.map((path) => limit(() => loadAlone(path))));
    expect(failures.filter((failure) => failure !== undefined)).toEqual([]);
  }, 120_000);
});
