import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import pLimit from 'p-limit';
import ts from 'typescript';
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

/** The built modules a built file loads as it loads: its static imports and re-exports (the build erased type-only ones). */
function loadedBy(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022);
  return source.statements.flatMap((statement) => {
    const specifier =
      ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) ? statement.moduleSpecifier : undefined;
    return specifier !== undefined && ts.isStringLiteral(specifier) && specifier.text.startsWith('.')
      ? [resolve(dirname(path), specifier.text)]
      : [];
  });
}

/**
 * Of `modules`, those whose loading reaches a module that loads itself again through its imports (a circle): only
 * there does which module comes first decide the order the circle runs in. The rest load in the one order their
 * imports give, whatever was loaded before them. `loads` names what each module loads.
 */
function orderSensitive(modules: readonly string[], loads: (module: string) => readonly string[]): string[] {
  const graph = new Map<string, readonly string[]>();
  const visit = (module: string): void => {
    if (graph.has(module)) return;
    graph.set(module, loads(module));
    for (const next of graph.get(module)!) visit(next);
  };
  for (const module of modules) visit(module);
  const reachable = (from: string): Set<string> => {
    const seen = new Set<string>();
    const stack = [...graph.get(from)!];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...graph.get(next)!);
    }
    return seen;
  };
  const inCircle = new Set([...graph.keys()].filter((module) => reachable(module).has(module)));
  return modules.filter((module) => inCircle.has(module) || [...reachable(module)].some((next) => inCircle.has(next)));
}

/**
 * `paths` imported one after another as the first modules of a fresh module graph: undefined when each loads, else
 * the errors. Each worker thread has its own module map, as a new node process has, without a process's start.
 */
function loadInOneGraph(paths: readonly string[]): Promise<string | undefined> {
  const code = `(async () => { for (const href of ${JSON.stringify(paths.map((path) => pathToFileURL(path).href))})
    await import(href).catch((error) => { throw new Error(href + ': ' + String(error)); }); })();`;
  return new Promise((resolve) => {
    const worker = new Worker(code, { eval: true, stdout: true, stderr: true });
    let failure: string | undefined;
    worker.on('error', (error) => (failure = String(error).split('\n').slice(0, 5).join(' ')));
    worker.on('exit', (code) => resolve(failure ?? (code === 0 ? undefined : `${paths.join(', ')}: exit ${code}`)));
  });
}

describe('each module of the rules loads on its own, whatever was loaded before it', () => {
  it('imports every module of src/rules and src/kinds/*/rules first in a module graph of its own where its imports reach a circle, the rest in one (worker threads)', async () => {
    expect(existsSync(DIST), 'the built dist/ (npm run build; npm test builds it first)').toBe(true);
    const modules = coreModules();
    expect(modules.length).toBeGreaterThan(30);
    // A graph per module for those whose order matters (60 worker threads, about 10 CPU-s, when every module had one).
    const alone = orderSensitive(modules, loadedBy);
    const together = modules.filter((module) => !alone.includes(module));
    const limit = pLimit(2);
    const failures = await Promise.all([
      ...alone.map((path) => limit(() => loadInOneGraph([path]))),
      limit(() => loadInOneGraph(together)),
    ]);
    expect(failures.filter((failure) => failure !== undefined)).toEqual([]);
  }, 120_000);

  it('loads alone a module in a circle and one whose imports reach it, and together what reaches none', () => {
    const imports: Record<string, string[]> = {
      'rules/index.js': ['kinds/panel/rules/state.js', 'rules/event-id.js'],
      'kinds/panel/rules/state.js': ['rules/index.js'],
      'rules/event-id.js': [],
      'rules/balance.js': ['rules/index.js'],
      'rules/money.js': ['rules/event-id.js'],
    };
    expect(orderSensitive(Object.keys(imports), (module) => imports[module]!)).toEqual([
      'rules/index.js',
      'kinds/panel/rules/state.js',
      'rules/balance.js',
    ]);
  });
});
