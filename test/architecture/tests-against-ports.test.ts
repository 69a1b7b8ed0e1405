import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');

/**
 * Issue 53 item 5, tests against ports: a test asks the books what a use case asks them (test/support/books.ts,
 * over the composition root), so a change of the store's shape edits src/ and not a hundred tests. Only the
 * store's own tests (test/store/), and the books' of a kind or a use case (test/kinds/<kind>/books/,
 * test/pipeline/<use case>/books/, test/reads/books/, over the handle the store's index hands their repositories),
 * import its insides; the one door beneath the ports (test/support/ledger-tables.ts:
 * a row a test plants, reads or tampers with) imports the store's index and nothing else of it; no other test
 * file imports anything of src/store.
 */
const MAY_IMPORT_THE_STORE = /^test\/(store|kinds\/[^/]+\/books|pipeline\/[^/]+\/books|reads\/books)\//;
const THE_DOOR = 'test/support/ledger-tables.ts';
const THE_INDEX = 'src/store/index.js';

/** A module a file loads: `import … from '…'`, `export … from '…'`, `import('…')` (tests hold no other kind). */
const LOADS = /\bfrom\s+'([^']+)'|\bimport\s*\(\s*'([^']+)'\s*\)|^import\s+'([^']+)'/gm;

interface TestFile {
  path: string;
  imports: string[];
}

function testFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : testFilesUnder(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every .ts file under test/, its relative imports resolved from the repository's root ("src/store/index.js"). */
function readTests(): TestFile[] {
  return testFilesUnder(join(root, 'test')).map((path) => ({
    path: relative(root, path),
    imports: [...readFileSync(path, 'utf8').matchAll(LOADS)]
      .map((match) => match[1] ?? match[2] ?? match[3]!)
      .map((specifier) => (specifier.startsWith('.') ? relative(root, resolve(dirname(path), specifier)) : specifier)),
  }));
}

/** Each import of src/store by a test file that may not make it: anything outside test/store/, the index excepted at the door. */
function storeImportsOutsideTheDoor(tree: readonly TestFile[]): string[] {
  return tree
    .filter((file) => !MAY_IMPORT_THE_STORE.test(file.path))
    .flatMap((file) =>
      file.imports
        .filter((target) => target.startsWith('src/store/') && !(file.path === THE_DOOR && target === THE_INDEX))
        .map((target) =>
          file.path === THE_DOOR
            ? `${file.path} imports ${target}: the door goes through src/store/index.js only`
            : `${file.path} imports ${target}: open the books with test/support/books.ts`,
        ),
    );
}

describe("tests outside test/store/ and a kind's books' reach the ledger through its ports", () => {
  it("no test file but the store's own imports src/store, and test/support/ledger-tables.ts only its index", () => {
    const tests = readTests();
    expect(tests.some((file) => file.path === THE_DOOR && file.imports.includes(THE_INDEX))).toBe(true);
    expect(storeImportsOutsideTheDoor(tests)).toEqual([]);
  });

  it("the rule catches a planted import of each kind, the door's past its index, and leaves the store's tests and the door alone", () => {
    const planted: TestFile[] = [
      { path: 'test/pipeline/sync/planted-adapter.test.ts', imports: ['src/store/sync-books-store.js'] },
      { path: 'test/cli/planted-index.test.ts', imports: ['src/store/index.js', 'src/app/index.js'] },
      { path: 'test/support/planted-helper.ts', imports: ['src/store/query-builder.js'] },
      { path: 'test/store/journal.test.ts', imports: ['src/store/journal.js'] },
      { path: 'test/kinds/panel/books/panel-orders.test.ts', imports: ['src/store/index.js'] },
      { path: 'test/kinds/panel/planted-close.test.ts', imports: ['src/store/index.js'] },
      { path: 'test/support/ledger-tables.ts', imports: ['src/store/index.js', 'src/store/query-builder.js'] },
      { path: 'test/pipeline/post/ported.test.ts', imports: ['test/support/books.js', 'src/pipeline/post/index.js'] },
    ];
    expect(storeImportsOutsideTheDoor(planted)).toEqual([
      'test/pipeline/sync/planted-adapter.test.ts imports src/store/sync-books-store.js: open the books with test/support/books.ts',
      'test/cli/planted-index.test.ts imports src/store/index.js: open the books with test/support/books.ts',
      'test/support/planted-helper.ts imports src/store/query-builder.js: open the books with test/support/books.ts',
      'test/kinds/panel/planted-close.test.ts imports src/store/index.js: open the books with test/support/books.ts',
      'test/support/ledger-tables.ts imports src/store/query-builder.js: the door goes through src/store/index.js only',
    ]);
  });
});
