import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { files, srcDir, syntaxOf } from './source-tree.js';

/**
 * The modules a file loads when it loads: its static imports and re-exports that bring a value. A type-only import
 * (`import type`, or every name marked `type`) is erased by the compiler, and an `import()` loads when it runs, so
 * neither can make two modules each wait for the other to finish loading.
 */
function valueImports(path: string, code: string | ts.SourceFile): string[] {
  const source = typeof code === 'string' ? ts.createSourceFile(path, code, ts.ScriptTarget.ES2022, true) : code;
  const targets: string[] = [];
  for (const statement of source.statements) {
    let specifier: ts.Expression | undefined;
    let typeOnly = false;
    if (ts.isImportDeclaration(statement)) {
      specifier = statement.moduleSpecifier;
      const clause = statement.importClause;
      const named = clause?.namedBindings;
      typeOnly =
        clause?.isTypeOnly === true ||
        (clause?.name === undefined &&
          named !== undefined &&
          ts.isNamedImports(named) &&
          named.elements.length > 0 &&
          named.elements.every((element) => element.isTypeOnly));
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier !== undefined) {
      specifier = statement.moduleSpecifier;
      const clause = statement.exportClause;
      typeOnly =
        statement.isTypeOnly ||
        (clause !== undefined &&
          ts.isNamedExports(clause) &&
          clause.elements.length > 0 &&
          clause.elements.every((element) => element.isTypeOnly));
    }
    if (specifier === undefined || typeOnly || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.'))
      continue;
    targets.push(relative(srcDir, resolve(dirname(path), specifier.text)).replace(/\.js$/, '.ts'));
  }
  return targets;
}

/** Each group of modules that load one another in a circle (Tarjan's strongly connected components), sorted. */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    order.set(node, order.size);
    low.set(node, order.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!order.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, order.get(next)!));
    }
    if (low.get(node) !== order.get(node)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    if (group.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(group.sort());
  };
  for (const node of graph.keys()) if (!order.has(node)) visit(node);
  return cycles;
}

/**
 * The largest group of src/ files that name one another in a circle, type imports included (issue 85: at most 12).
 * Today's nine are the registry and its kinds' commands (pipeline/kinds, kinds/panel, the CLI's command shell, the
 * root). A ratchet: lower it as it falls.
 */
const LARGEST_CYCLE = 9;

/** An import as the source tree resolves it ("store/index.js") named as its file ("store/index.ts"). */
const asSource = (target: string): string => target.replace(/\.js$/, '.ts');

describe('no two modules of src/ load each other', () => {
  it('the value imports of src/ have no cycle', () => {
    const graph = new Map(files.map((file) => [file.path, valueImports(join(srcDir, file.path), syntaxOf(file))]));
    expect(importCycles(graph)).toEqual([]);
  });

  it('the imports of src/, type imports included, have no cycle of more than LARGEST_CYCLE files', () => {
    const graph = new Map(files.map((file) => [file.path, file.imports.map(asSource)]));
    const largest = Math.max(0, ...importCycles(graph).map((cycle) => cycle.length));
    expect(largest).toBeLessThanOrEqual(LARGEST_CYCLE);
  });

  it('finds a cycle through an index, and not a chain', () => {
    const graph = new Map([
      ['rules/index.ts', ['kinds/panel/rules/state.ts', 'rules/event-id.ts']],
      ['kinds/panel/rules/state.ts', ['rules/index.ts']],
      ['rules/event-id.ts', []],
      ['pipeline/a.ts', ['pipeline/b.ts']],
      ['pipeline/b.ts', []],
    ]);
    expect(importCycles(graph)).toEqual([['kinds/panel/rules/state.ts', 'rules/index.ts']]);
  });

  it('reads a type-only import as no edge, and a re-export of a value as one', () => {
    const path = join(srcDir, 'rules', 'planted.ts');
    const text = [
      "import type { A } from './a.js';",
      "import { type B } from './b.js';",
      "import { c, type C } from './c.js';",
      "export { d } from './d.js';",
      "export type { E } from './e.js';",
      "const f = () => import('./f.js');",
    ].join('\n');
    expect(valueImports(path, text)).toEqual(['rules/c.ts', 'rules/d.ts']);
  });
});
