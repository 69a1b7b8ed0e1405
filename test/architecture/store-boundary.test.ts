import { describe, expect, it } from 'vitest';
import { files, type SourceFile } from './source-tree.js';

/** Only the store talks to the database, in one async boundary; the ledger keeps its store. */

/** Packages that talk to a database: only the store may import them. */
const DATABASE_PACKAGES = ['kysely', 'better-sqlite3', 'pg'];
/** The job queue's package: only src/queue imports it, so one module owns the queue's tables and options. */
const QUEUE_PACKAGE = 'pg-boss';
/** Building or running SQL: a query builder call, a prepared statement, the raw connection or the builder itself. */
const BUILDS_SQL =
  /\.(selectFrom|insertInto|updateTable|deleteFrom|prepare)\(|\.sqlite\.(pragma|exec|transaction)\(|\bstore\.db\b/;

/**
 * A kind's own books (`src/kinds/<kind>/books/`) and a use case's (`src/pipeline/<use case>/books/`, `src/reads/books/`):
 * their repositories, written over the store's handle as a kysely dialect is handed `db`.
 */
const KIND_BOOKS = /^(kinds\/[^/]+|pipeline\/[^/]+|reads)\/books\//;

/** Every place outside src/store and a kind's books that imports a database package or builds SQL (the repositories are the one way in). */
function databaseOutsideStore(tree: readonly SourceFile[]): string[] {
  return tree
    .filter((file) => file.area !== 'store' && !KIND_BOOKS.test(file.path))
    .flatMap((file) => [
      ...file.imports
        .filter((target) => DATABASE_PACKAGES.includes(target))
        .map((target) => `${file.path} imports ${target}`),
      ...(BUILDS_SQL.test(file.text) ? [`${file.path} builds SQL`] : []),
    ]);
}

describe('only the store and the books of a kind or a use case talk to the database', () => {
  it("no file outside src/store, src/kinds/<kind>/books/ and a use case's books/ imports kysely, better-sqlite3 or pg, or builds SQL", () => {
    expect(databaseOutsideStore(files)).toEqual([]);
  });

  it('the rule catches a planted violation of each kind', () => {
    const planted: SourceFile[] = [
      { path: 'pipeline/planted-import.ts', area: 'pipeline', text: '', imports: ['kysely'] },
      {
        path: 'pipeline/planted-query.ts',
        area: 'pipeline',
        text: "ledger.store.db.selectFrom('orders')",
        imports: [],
      },
      { path: 'cli/planted-raw.ts', area: 'cli', text: "store.sqlite.pragma('quick_check')", imports: [] },
      { path: 'store/allowed.ts', area: 'store', text: "store.db.selectFrom('orders')", imports: ['kysely'] },
      {
        path: 'kinds/panel/books/allowed.ts',
        area: 'kinds/panel',
        text: "queryBuilder(store).selectFrom('orders')",
        imports: ['kysely'],
      },
      {
        path: 'pipeline/operations/books/allowed.ts',
        area: 'pipeline',
        text: "queryBuilder(store).selectFrom('journal_entries')",
        imports: ['kysely'],
      },
      {
        path: 'pipeline/operations/planted-doctor.ts',
        area: 'pipeline',
        text: "queryBuilder(store).selectFrom('journal_entries')",
        imports: [],
      },
      {
        path: 'kinds/panel/planted-close.ts',
        area: 'kinds/panel',
        text: "queryBuilder(store).selectFrom('orders')",
        imports: ['kysely'],
      },
    ];
    expect(databaseOutsideStore(planted)).toEqual([
      'pipeline/planted-import.ts imports kysely',
      'pipeline/planted-query.ts builds SQL',
      'cli/planted-raw.ts builds SQL',
      'pipeline/operations/planted-doctor.ts builds SQL',
      'kinds/panel/planted-close.ts imports kysely',
      'kinds/panel/planted-close.ts builds SQL',
    ]);
  });
});

/** Every import of pg-boss outside src/queue, and every import of a database package inside it. */
function queueOutsideItsArea(tree: readonly SourceFile[]): string[] {
  return tree.flatMap((file) =>
    file.imports
      .filter((target) => (file.area === 'queue' ? DATABASE_PACKAGES.includes(target) : target === QUEUE_PACKAGE))
      .map((target) => `${file.path} imports ${target}`),
  );
}

describe('only src/queue talks to the job queue', () => {
  it('no file outside src/queue imports pg-boss, and src/queue imports no other database package', () => {
    expect(files.some((file) => file.area === 'queue' && file.imports.includes(QUEUE_PACKAGE))).toBe(true);
    expect(queueOutsideItsArea(files)).toEqual([]);
  });

  it('the rule catches a planted import of pg-boss outside src/queue and of pg inside it', () => {
    const planted: SourceFile[] = [
      { path: 'store/planted-boss.ts', area: 'store', text: '', imports: ['pg-boss'] },
      { path: 'cli/commands/planted-worker.ts', area: 'cli', text: '', imports: ['pg-boss'] },
      { path: 'queue/planted-pool.ts', area: 'queue', text: '', imports: ['pg'] },
      { path: 'queue/allowed.ts', area: 'queue', text: '', imports: ['pg-boss'] },
    ];
    expect(queueOutsideItsArea(planted)).toEqual([
      'store/planted-boss.ts imports pg-boss',
      'cli/commands/planted-worker.ts imports pg-boss',
      'queue/planted-pool.ts imports pg',
    ]);
  });
});

/** Transactions, the raw connection or the SQLite executor itself: only the store may use them; everyone else has unitOfWork. */
const SQLITE_ONLY = /\.transaction\(|\.sqlite\.|\bSqliteLedgerStore\b|\bDatabase\.(Database|Statement)\b/;

/** Every file outside src/store that opens a transaction itself or reaches past the store's interface to SQLite. */
function sqliteOutsideStore(tree: readonly SourceFile[]): string[] {
  return tree
    .filter((file) => file.area !== 'store' && SQLITE_ONLY.test(file.text))
    .map((file) => `${file.path} uses SQLite directly`);
}

/**
 * Each exported store function that takes the store but answers synchronously (a PostgreSQL executor could not serve it).
 * store/query-builder.ts asks no question of the database: it hands the repositories their kysely handle.
 */
function synchronousStoreFunctions(tree: readonly SourceFile[]): string[] {
  return tree
    .filter((file) => file.area === 'store' && file.path !== 'store/query-builder.ts')
    .flatMap((file) =>
      [
        ...file.text.matchAll(/export (async )?function(\*?) (\w+)[^(]*\(([\s\S]*?)\)(?::\s*([^{]*?))?\s*\{\n/g),
      ].flatMap((match) => {
        const [, isAsync, , name, params, returns] = match;
        // A port's factory (`…Over`, issue 39) is synchronous: the methods it returns are the async boundary.
        if (!params!.includes('LedgerStore') || isAsync || name!.endsWith('Over')) return [];
        return /^(Promise|AsyncIterable|AsyncGenerator)</.test((returns ?? '').trim())
          ? []
          : [`${file.path}: ${name} is synchronous`];
      }),
    );
}

/** SQL text with `?` placeholders compiles for SQLite only: the store writes its statements as kysely builders or sql templates. */
function placeholderSql(tree: readonly SourceFile[]): string[] {
  return tree
    .filter((file) => /['"`][^'"`]*\b(SELECT|INSERT|UPDATE|DELETE)\b[^'"`]*\?[^'"`]*['"`]/.test(file.text))
    .map((file) => `${file.path} writes ?-placeholder SQL`);
}

/** The run record and the ledger's run lock: one protocol, in one helper (the runs' books only offer the verbs). */
const RUN_LOCK_VERBS = /\b(startRun|finishRun|acquireRunLock|heartbeatRunLock|releaseRunLock)\(/g;
const RUN_LOCK_HELPER = 'pipeline/runs/recorded-run.ts';
const RUN_BOOKS = 'pipeline/runs/books/';

/** Every file outside the runs' books and the one helper that calls a run-lock verb itself, and which ones. */
function runLockOutsideHelper(tree: readonly SourceFile[]): string[] {
  return tree
    .filter((file) => !file.path.startsWith(RUN_BOOKS) && file.path !== RUN_LOCK_HELPER)
    .flatMap((file) => {
      const verbs = [...new Set([...file.text.matchAll(RUN_LOCK_VERBS)].map((match) => match[1]!))];
      return verbs.length === 0 ? [] : [`${file.path} calls ${verbs.join(', ')}`];
    });
}

describe('one run-lock protocol', () => {
  it(`only ${RUN_BOOKS} and ${RUN_LOCK_HELPER} call startRun, finishRun or the run lock's verbs`, () => {
    expect(runLockOutsideHelper(files)).toEqual([]);
  });

  it("the rule catches a planted call of each kind, and leaves the helper and the runs' books alone", () => {
    const planted: SourceFile[] = [
      {
        path: 'cli/planted-lock.ts',
        area: 'cli',
        text: 'const abandoned = await acquireRunLock(ledger.store, { runId, now, staleAfterMs });\nawait releaseRunLock(ledger.store, runId);',
        imports: [],
      },
      {
        path: 'pipeline/planted-record.ts',
        area: 'pipeline',
        text: "const runId = await startRun(store, 'schedule', asOf, now());\nawait finishRun(store, runId, record);",
        imports: [],
      },
      {
        path: 'pipeline/planted-beat.ts',
        area: 'pipeline',
        text: 'onProgress: () => heartbeatRunLock(store, runId, now()),',
        imports: [],
      },
      {
        path: RUN_LOCK_HELPER,
        area: 'pipeline',
        text: 'const runId = await startRun(store, command, asOf, now());\nawait acquireRunLock(store, options);',
        imports: [],
      },
      {
        path: 'pipeline/runs/books/run-rows.ts',
        area: 'pipeline',
        text: 'export async function startRun(store: StoreTx): Promise<string> {}',
        imports: [],
      },
    ];
    expect(runLockOutsideHelper(planted)).toEqual([
      'cli/planted-lock.ts calls acquireRunLock, releaseRunLock',
      'pipeline/planted-record.ts calls startRun, finishRun',
      'pipeline/planted-beat.ts calls heartbeatRunLock',
    ]);
  });
});

describe('one async store boundary', () => {
  it('no file outside src/store opens a transaction, touches the raw connection or names the SQLite executor', () => {
    expect(sqliteOutsideStore(files)).toEqual([]);
  });

  it('every exported store function that takes the store returns a Promise or an AsyncIterable', () => {
    expect(synchronousStoreFunctions(files)).toEqual([]);
  });

  it('no SQL with ? placeholders anywhere in src', () => {
    expect(placeholderSql(files)).toEqual([]);
  });

  it('the rules catch a planted violation of each kind', () => {
    const planted: SourceFile[] = [
      {
        path: 'pipeline/planted-transaction.ts',
        area: 'pipeline',
        text: 'ledger.store.transaction(() => book())',
        imports: [],
      },
      { path: 'cli/planted-raw.ts', area: 'cli', text: "store.sqlite.prepare('SELECT 1')", imports: [] },
      {
        path: 'store/planted-sync.ts',
        area: 'store',
        text: 'export function countAll(store: LedgerStore, id: string): number {\n  return 1;\n}\n',
        imports: [],
      },
      {
        path: 'store/allowed.ts',
        area: 'store',
        text: 'export async function countAll(store: LedgerStore): Promise<number> {\n  return 1;\n}\nexport function rows(store: LedgerStore): AsyncIterable<Row> {\n  return store.iterate(q);\n}\n',
        imports: [],
      },
      {
        path: 'store/planted-placeholder.ts',
        area: 'store',
        text: "const FIND = 'SELECT id FROM orders WHERE id = ?';",
        imports: [],
      },
    ];
    expect(sqliteOutsideStore(planted)).toEqual([
      'pipeline/planted-transaction.ts uses SQLite directly',
      'cli/planted-raw.ts uses SQLite directly',
    ]);
    expect(synchronousStoreFunctions(planted)).toEqual(['store/planted-sync.ts: countAll is synchronous']);
    expect(placeholderSql(planted)).toEqual(['store/planted-placeholder.ts writes ?-placeholder SQL']);
  });
});

/**
 * Every way code outside src/store could reach the store's query builder: a member of the LedgerStore interface
 * that hands one out (a `db`, or anything typed Kysely), an import of store/query-builder.ts from outside src/store,
 * and a use of `LedgerStore.openTables` (the tests' door beneath the ports, test/support/ledger-tables.ts) outside src/store.
 */
function queryBuilderOutsideStore(tree: readonly SourceFile[]): string[] {
  return tree.flatMap((file) => {
    const storeInterface =
      file.path === 'store/ledger-store.ts'
        ? /export interface LedgerStore\b[\s\S]*?\n\}/.exec(file.text)?.[0]
        : undefined;
    const handsOut =
      storeInterface !== undefined && /^\s*(?:readonly\s+)?db\b|\bKysely\s*</m.test(storeInterface)
        ? [`${file.path}: LedgerStore hands out a query builder`]
        : [];
    const imported =
      file.area === 'store'
        ? []
        : file.imports
            .filter((target) => target === 'store/query-builder.js')
            .map((target) => `${file.path} imports ${target}`);
    const door =
      file.area !== 'store' && /\bopenTables\b/.test(file.text) ? [`${file.path} opens the tests' tables`] : [];
    return [...handsOut, ...imported, ...door];
  });
}

describe('no db on the store', () => {
  it("the LedgerStore interface hands out no query builder, and nothing outside src/store imports the store's or opens the tests' door", () => {
    expect(
      files.some((file) => file.path === 'store/ledger-store.ts' && file.text.includes('export interface LedgerStore')),
    ).toBe(true);
    expect(queryBuilderOutsideStore(files)).toEqual([]);
  });

  it('the rule catches a planted violation of each kind', () => {
    const planted: SourceFile[] = [
      {
        path: 'store/ledger-store.ts',
        area: 'store',
        text: 'export interface LedgerStore {\n  readonly db: Kysely<LedgerDatabase>;\n  readonly path: string;\n}',
        imports: [],
      },
      { path: 'pipeline/planted-builder.ts', area: 'pipeline', text: '', imports: ['store/query-builder.js'] },
      { path: 'store/allowed.ts', area: 'store', text: '', imports: ['store/query-builder.js'] },
      {
        path: 'cli/planted-door.ts',
        area: 'cli',
        text: 'const { db } = await LedgerStore.openTables(config.ledger);',
        imports: ['store/index.js'],
      },
      {
        path: 'store/index.ts',
        area: 'store',
        text: 'export const LedgerStore = { openTables: (at: string) => ledgerTables(at) };',
        imports: [],
      },
    ];
    expect(queryBuilderOutsideStore(planted)).toEqual([
      'store/ledger-store.ts: LedgerStore hands out a query builder',
      'pipeline/planted-builder.ts imports store/query-builder.js',
      "cli/planted-door.ts opens the tests' tables",
    ]);
  });
});

/**
 * The Ledger keeps its store: a stage that needs another repository is handed the LedgerStore (the CLI opens
 * both, the use cases' contexts carry both), so no code reaches the repositories through the journal.
 */
function ledgerHandsOutItsStore(tree: readonly SourceFile[]): string[] {
  return tree
    .filter((file) => file.path === 'ledger/ledger.ts')
    .flatMap((file) =>
      /constructor\((?!private readonly store\b)[^)]*\bstore: LedgerStore/.test(file.text)
        ? [`${file.path}: the Ledger hands out its store`]
        : [],
    );
}

describe('the ledger keeps its store', () => {
  it('the Ledger takes its store privately', () => {
    expect(files.some((file) => file.path === 'ledger/ledger.ts' && file.text.includes('export class Ledger'))).toBe(
      true,
    );
    expect(ledgerHandsOutItsStore(files)).toEqual([]);
  });

  it('the rule catches a planted public store', () => {
    const planted: SourceFile[] = [
      {
        path: 'ledger/ledger.ts',
        area: 'ledger',
        text: 'export class Ledger {\n  constructor(readonly store: LedgerStore) {}\n}',
        imports: [],
      },
      {
        path: 'ledger/other.ts',
        area: 'ledger',
        text: 'export class Other {\n  constructor(readonly store: LedgerStore) {}\n}',
        imports: [],
      },
    ];
    expect(ledgerHandsOutItsStore(planted)).toEqual(['ledger/ledger.ts: the Ledger hands out its store']);
  });
});

/**
 * Issue 53 item 4: each adapter (a `store/*-store.ts` file building a port over the store) is checked against its
 * port where it is built, written `satisfies` the port (or declared as one, `const books: JournalBooks = {`).
 */
const NOT_ADAPTERS = ['store/ledger-store.ts', 'store/sqlite-ledger-store.ts'];

/** Adapters left unchecked where they are built: none since ProxyBooks moved to pipeline/landing, where the store may see it. Shrink-only. */
const ADAPTERS_LEFT: readonly string[] = [];

/** Each adapter file without its port's check, and each listed one that has it now (or is gone). */
function adaptersNotSatisfyingTheirPort(
  tree: readonly SourceFile[],
  left: readonly string[] = ADAPTERS_LEFT,
): string[] {
  const adapters = tree.filter(
    (file) => /^store\/[^/]+-store\.ts$/.test(file.path) && !NOT_ADAPTERS.includes(file.path),
  );
  const checked = (file: SourceFile) =>
    /\bsatisfies\s+(?:Omit<\s*)?[A-Z]\w*/.test(file.text) || /\bconst \w+: [A-Z]\w* = \{/.test(file.text);
  return [
    ...adapters
      .filter((file) => !checked(file) && !left.includes(file.path))
      .map((file) => `${file.path} builds a port without \`satisfies\` it`),
    ...left
      .filter((path) => !adapters.some((file) => file.path === path && !checked(file)))
      .map((path) => `${path} is checked against its port now (or gone): remove it from ADAPTERS_LEFT`),
  ];
}

describe('each adapter is checked against its port where it is built', () => {
  it('every store/*-store.ts adapter but the listed ones is written `satisfies` its port', () => {
    expect(files.filter((file) => /^store\/[^/]+-store\.ts$/.test(file.path)).length).toBeGreaterThan(0);
    expect(adaptersNotSatisfyingTheirPort(files)).toEqual([]);
  });

  it('the rule catches a planted adapter without it, leaves one with it alone, and asks for a stale line to go', () => {
    const planted: SourceFile[] = [
      {
        path: 'store/planted-books-store.ts',
        area: 'store',
        text: 'export const plantedBooksOver = (store: LedgerStore) => ({\n  count: () => count(store),\n});',
        imports: [],
      },
      {
        path: 'store/allowed-books-store.ts',
        area: 'store',
        text: 'export const allowedBooksOver = (store: LedgerStore) =>\n  ({ count: () => count(store) }) satisfies AllowedBooks;',
        imports: [],
      },
      {
        path: 'store/listed-books-store.ts',
        area: 'store',
        text: 'export const listedBooksOver = (store: LedgerStore) => ({ count: () => count(store) });',
        imports: [],
      },
      { path: 'store/ledger-store.ts', area: 'store', text: 'export interface LedgerStore {}', imports: [] },
    ];
    expect(
      adaptersNotSatisfyingTheirPort(planted, ['store/listed-books-store.ts', 'store/allowed-books-store.ts']),
    ).toEqual([
      'store/planted-books-store.ts builds a port without `satisfies` it',
      'store/allowed-books-store.ts is checked against its port now (or gone): remove it from ADAPTERS_LEFT',
    ]);
  });
});
