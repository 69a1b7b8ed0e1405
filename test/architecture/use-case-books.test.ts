import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { files, srcDir, type SourceFile } from './source-tree.js';

/**
 * A use case owns its books (issue 85): its port, its queries and the books object over the store's handle live in
 * its `books/` folder, and the composition root opens each by one generic `books.of(…)`: the store imports no use
 * case, and the root hands out no port by a getter of its own.
 */

/** Every file of src/store that imports src/pipeline, src/reads or src/app. */
function storeFilesImportingUseCases(tree: readonly SourceFile[]): string[] {
  return tree
    .filter((file) => file.area === 'store')
    .filter((file) => file.imports.some((target) => /^(pipeline|reads|app)\//.test(target)))
    .map((file) => file.path)
    .sort();
}

/** The root's getters and methods that hand out a port by name (`get x(): Port`, `x(destination: string): Port`). */
function portGetters(text: string): string[] {
  return [...text.matchAll(/^ {2}(?:get )?(\w+)\((?:destination: string)?\): ([A-Z]\w+) \{$/gm)]
    .filter(([, , type]) => !['Ledger', 'Promise', 'Books'].includes(type!))
    .map(([, name]) => name!);
}

describe('a use case owns its books', () => {
  it('no file of src/store imports src/pipeline, src/reads or src/app', () => {
    expect(storeFilesImportingUseCases(files)).toEqual([]);
  });

  it('src/app/books.ts hands out no port by a getter of its own: each is opened by `books.of`', () => {
    expect(portGetters(readFileSync(join(srcDir, 'app', 'books.ts'), 'utf8'))).toEqual([]);
  });

  it('the rules catch a planted store file importing a port and a planted getter', () => {
    const planted: SourceFile[] = [
      { path: 'store/planted-store.ts', area: 'store', text: '', imports: ['pipeline/post/books/post-outbox.js'] },
      { path: 'store/allowed.ts', area: 'store', text: '', imports: ['ledger/index.js'] },
    ];
    expect(storeFilesImportingUseCases(planted)).toEqual(['store/planted-store.ts']);
    const root = [
      '  get sealBooks(): SealBooks {',
      '  postOutbox(destination: string): PostOutbox {',
      '  get ledger(): Ledger {',
      '  get location(): string {',
    ].join('\n');
    expect(portGetters(root)).toEqual(['sealBooks', 'postOutbox']);
  });
});
