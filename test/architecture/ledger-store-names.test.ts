import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { files, sandboxFiles, syntaxOf, type SourceFile } from './source-tree.js';

/**
 * Issue 39, ports owned by the use cases: each use case declares the narrow port it needs, the store implements
 * it, and only the composition root hands one to the other. So the store's own type, `LedgerStore`, is named by
 * the store and the composition root (src/app) alone (the journal too takes its port, ledger/journal-books.ts).
 */
const MAY_NAME_THE_STORE = [/^store\//, /^app\//];

/** Files allowed to name it besides those: none since issue 39; a new one is refused by name. */
const NAMES_LEDGER_STORE: readonly string[] = [];

/** Whether the code names `LedgerStore` as an identifier (an import, a type, `LedgerStore.open`): a comment or a string does not count. */
function namesLedgerStore(file: SourceFile): boolean {
  const source = syntaxOf(file);
  const visit = (node: ts.Node): boolean =>
    (ts.isIdentifier(node) && node.text === 'LedgerStore') || (ts.forEachChild(node, visit) ?? false);
  return visit(source);
}

/** Every file that names the store without being allowed to or listed, and every listed file that no longer does. */
function ledgerStoreNamedOutsideTheStore(tree: readonly SourceFile[], listed: readonly string[]): string[] {
  const naming = tree
    .filter((file) => !MAY_NAME_THE_STORE.some((allowed) => allowed.test(file.path)) && namesLedgerStore(file))
    .map((file) => file.path);
  return [
    ...naming
      .filter((path) => !listed.includes(path))
      .map((path) => `${path} names LedgerStore: take the use case's port instead`),
    ...listed
      .filter((path) => !naming.includes(path))
      .map((path) => `${path} no longer names LedgerStore: remove it from NAMES_LEDGER_STORE`),
  ];
}

describe('only the store and the composition root name LedgerStore', () => {
  it('no other file in src/ or the sandbox names it, but for the listed ones', () => {
    const sandbox = sandboxFiles.map((file) => ({ ...file, path: `../sandbox/${file.path}` }));
    expect(files.filter(namesLedgerStore).length).toBeGreaterThan(NAMES_LEDGER_STORE.length);
    expect(ledgerStoreNamedOutsideTheStore([...files, ...sandbox], NAMES_LEDGER_STORE)).toEqual([]);
  });

  it('the rule catches a planted use of the type and of the value, leaves comments, strings and the allowed folders alone, and asks for a stale line to go', () => {
    const planted: SourceFile[] = [
      {
        path: 'pipeline/sync/planted-type.ts',
        area: 'pipeline',
        text: "import type { LedgerStore } from '../../store/index.js';\nexport function close(store: LedgerStore) {}",
        imports: [],
      },
      {
        path: 'cli/planted-open.ts',
        area: 'cli',
        text: 'const store = await ledger.LedgerStore.open(path);',
        imports: [],
      },
      {
        path: 'pipeline/post/planted-comment.ts',
        area: 'pipeline',
        text: "/* takes a LedgerStore */\nconst note = 'LedgerStore';\nconst t = `LedgerStore`;",
        imports: [],
      },
      { path: 'store/ledger-store.ts', area: 'store', text: 'export class LedgerStore {}', imports: [] },
      {
        path: 'ledger/ledger.ts',
        area: 'ledger',
        text: 'constructor(private readonly store: LedgerStore) {}',
        imports: [],
      },
      {
        path: 'app/books.ts',
        area: 'app',
        text: 'constructor(private readonly store: LedgerStore) {}',
        imports: [],
      },
      { path: 'pipeline/runs/listed.ts', area: 'pipeline', text: 'function f(store: LedgerStore) {}', imports: [] },
    ];
    expect(ledgerStoreNamedOutsideTheStore(planted, ['pipeline/runs/listed.ts', 'pipeline/reports/moved.ts'])).toEqual([
      "pipeline/sync/planted-type.ts names LedgerStore: take the use case's port instead",
      "cli/planted-open.ts names LedgerStore: take the use case's port instead",
      "ledger/ledger.ts names LedgerStore: take the use case's port instead",
      'pipeline/reports/moved.ts no longer names LedgerStore: remove it from NAMES_LEDGER_STORE',
    ]);
  });
});
