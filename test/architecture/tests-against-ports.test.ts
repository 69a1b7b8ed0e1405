import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');

/**
 * Issue 53 item 5, tests against ports: a test asks the books what a use case asks them (test/support/books.ts,
 * over the composition root), so a change of the store's shape edits src/ and not a hundred tests. Only the
 * store's own tests (test/store/) and the one door beneath the ports (test/support/ledger-tables.ts: a row a test
 * plants, reads or tampers with) import anything of src/store.
 */
const MAY_IMPORT_THE_STORE = [/^test\/store\//, /^test\/support\/ledger-tables\.ts$/];

/** Test files still on the store's insides when the rule came (issue 53): they only come off this list. */
const STILL_ON_THE_STORE: readonly string[] = [
  'test/ledger/ledger.test.ts',
  'test/pipeline/operations/move-ledger.test.ts',
  'test/reads/ledger-reads.test.ts',
  'test/scenarios/backfill-replay.test.ts',
];

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

/** Each import of src/store by a test file that may not make one and is not listed, and each listed file that no longer makes one. */
function storeImportsOutsideTheDoor(
  tree: readonly TestFile[],
  listed: readonly string[] = STILL_ON_THE_STORE,
): string[] {
  const reaching = tree.filter(
    (file) =>
      !MAY_IMPORT_THE_STORE.some((allowed) => allowed.test(file.path)) &&
      file.imports.some((target) => target.startsWith('src/store/')),
  );
  return [
    ...reaching
      .filter((file) => !listed.includes(file.path))
      .flatMap((file) =>
        file.imports
          .filter((target) => target.startsWith('src/store/'))
          .map((target) => `${file.path} imports ${target}: open the books with test/support/books.ts`),
      ),
    ...listed
      .filter((path) => !reaching.some((file) => file.path === path))
      .map((path) => `${path} no longer imports src/store: remove it from STILL_ON_THE_STORE`),
  ];
}

describe('tests outside test/store/ reach the ledger through its ports', () => {
  it("no test file but the store's own and test/support/ledger-tables.ts imports src/store", () => {
    const tests = readTests();
    expect(
      tests.some(
        (file) => file.path === 'test/support/ledger-tables.ts' && file.imports.includes('src/store/index.js'),
      ),
    ).toBe(true);
    expect(storeImportsOutsideTheDoor(tests)).toEqual([]);
  });

  it("the rule catches a planted import of each kind, leaves the store's tests, the door and a listed file alone, and asks for a stale line to go", () => {
    const planted: TestFile[] = [
      { path: 'test/pipeline/sync/planted-adapter.test.ts', imports: ['src/store/sync-books-store.js'] },
      { path: 'test/cli/planted-index.test.ts', imports: ['src/store/index.js', 'src/pipeline/books/index.js'] },
      { path: 'test/support/planted-helper.ts', imports: ['src/store/query-builder.js'] },
      { path: 'test/store/journal.test.ts', imports: ['src/store/journal.js'] },
      { path: 'test/support/ledger-tables.ts', imports: ['src/store/index.js', 'src/store/query-builder.js'] },
      { path: 'test/pipeline/post/ported.test.ts', imports: ['test/support/books.js', 'src/pipeline/post/index.js'] },
      { path: 'test/pipeline/listed.test.ts', imports: ['src/store/index.js'] },
    ];
    expect(storeImportsOutsideTheDoor(planted, ['test/pipeline/listed.test.ts', 'test/cli/moved-off.test.ts'])).toEqual(
      [
        'test/pipeline/sync/planted-adapter.test.ts imports src/store/sync-books-store.js: open the books with test/support/books.ts',
        'test/cli/planted-index.test.ts imports src/store/index.js: open the books with test/support/books.ts',
        'test/support/planted-helper.ts imports src/store/query-builder.js: open the books with test/support/books.ts',
        'test/cli/moved-off.test.ts no longer imports src/store: remove it from STILL_ON_THE_STORE',
      ],
    );
  });
});
