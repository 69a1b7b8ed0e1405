import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
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

/**
 * The module imported as the first of a fresh module graph: undefined when it loads, else the error. Each worker
 * thread has its own module map, as a new node process has, without a process's start (about 40 % of this file's CPU).
 */
function loadAlone(path: string): Promise<string | undefined> {
  const code = `import(${JSON.stringify(pathToFileURL(path).href)}).then(() => {});`;
  return new Promise((resolve) => {
    const worker = new Worker(code, { eval: true, stdout: true, stderr: true });
    let failure: string | undefined;
    worker.on(
      'error',
      (error) => (failure = `${relative(ROOT, path)}: ${String(error).split('\n').slice(0, 5).join(' ')}`),
    );
    worker.on('exit', (code) => resolve(failure ?? (code === 0 ? undefined : `${relative(ROOT, path)}: exit ${code}`)));
  });
}

describe('each module of the rules loads on its own, whatever was loaded before it', () => {
  it('imports every module of src/rules and src/kinds/*/rules first in a module graph of its own (a worker thread)', async () => {
    expect(existsSync(DIST), 'the built dist/ (npm run build; npm test builds it first)').toBe(true);
    const modules = coreModules();
    expect(modules.length).toBeGreaterThan(30);
    const limit = pLimit(2);
    const failures = await Promise.all(modules.map((path) => limit(() => loadAlone(path))));
    expect(failures.filter((failure) => failure !== undefined)).toEqual([]);
  }, 120_000);
});
