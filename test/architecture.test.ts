import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layout is the architecture (STYLE.md): sources → ledger → rules →
 * destinations, the pipeline as the only place they meet, the CLI on top.
 * This test keeps the import rules true without anyone having to remember them.
 */
const root = resolve(import.meta.dirname, '..');
const srcDir = join(root, 'src');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

interface SourceFile {
  path: string;
  area: string;
  text: string;
  imports: string[];
}

const files: SourceFile[] = filesUnder(srcDir).map((path) => {
  // Comments may mention what the code must not do; only code counts.
  const text = readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const imports = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/g)].map((match) => {
    const specifier = (match[1] ?? match[2])!;
    return specifier.startsWith('.') ? relative(srcDir, resolve(dirname(path), specifier)) : specifier;
  });
  const local = relative(srcDir, path);
  const area = local.includes('/') ? local.split('/')[0]! : local.replace(/\.ts$/, '');
  return { path: local, area, text, imports };
});

function areaOf(target: string): string {
  return target.includes('/') ? target.split('/')[0]! : target.replace(/\.js$/, '');
}

function violations(check: (file: SourceFile, target: string) => string | undefined): string[] {
  return files.flatMap((file) => file.imports.flatMap((target) => check(file, target) ?? []));
}

/** Packages that talk to a database: only the store may import them. */
const DATABASE_PACKAGES = ['kysely', 'better-sqlite3', 'pg', 'pg-boss'];
/** Building or running SQL: a query builder call, a prepared statement, the raw connection or the builder itself. */
const BUILDS_SQL = /\.(selectFrom|insertInto|updateTable|deleteFrom|prepare)\(|\.sqlite\.(pragma|exec|transaction)\(|\bstore\.db\b/;

/** Every place outside src/store that imports a database package or builds SQL (the store's repositories are the one way in). */
function databaseOutsideStore(tree: readonly SourceFile[]): string[] {
  return tree
    .filter((file) => file.area !== 'store')
    .flatMap((file) => [
      ...file.imports.filter((target) => DATABASE_PACKAGES.includes(target)).map((target) => `${file.path} imports ${target}`),
      ...(BUILDS_SQL.test(file.text) ? [`${file.path} builds SQL`] : []),
    ]);
}

describe('only the store talks to the database', () => {
  it('no file outside src/store imports kysely, better-sqlite3 or pg, or builds SQL', () => {
    expect(databaseOutsideStore(files)).toEqual([]);
  });

  it('the rule catches a planted violation of each kind', () => {
    const planted: SourceFile[] = [
      { path: 'pipeline/planted-import.ts', area: 'pipeline', text: '', imports: ['kysely'] },
      { path: 'pipeline/planted-query.ts', area: 'pipeline', text: "ledger.store.db.selectFrom('orders')", imports: [] },
      { path: 'cli/planted-raw.ts', area: 'cli', text: "store.sqlite.pragma('quick_check')", imports: [] },
      { path: 'store/allowed.ts', area: 'store', text: "store.db.selectFrom('orders')", imports: ['kysely'] },
    ];
    expect(databaseOutsideStore(planted)).toEqual([
      'pipeline/planted-import.ts imports kysely',
      'pipeline/planted-query.ts builds SQL',
      'cli/planted-raw.ts builds SQL',
    ]);
  });
});

/** Transactions, the raw connection or the SQLite executor itself: only the store may use them; everyone else has unitOfWork. */
const SQLITE_ONLY = /\.transaction\(|\.sqlite\.|\bSqliteLedgerStore\b|\bDatabase\.(Database|Statement)\b/;

/** Every file outside src/store that opens a transaction itself or reaches past the store's interface to SQLite. */
function sqliteOutsideStore(tree: readonly SourceFile[]): string[] {
  return tree.filter((file) => file.area !== 'store' && SQLITE_ONLY.test(file.text)).map((file) => `${file.path} uses SQLite directly`);
}

/** Each exported store function that takes the store but answers synchronously (a PostgreSQL executor could not serve it). */
function synchronousStoreFunctions(tree: readonly SourceFile[]): string[] {
  return tree
    .filter((file) => file.area === 'store')
    .flatMap((file) =>
      [...file.text.matchAll(/export (async )?function(\*?) (\w+)[^(]*\(([\s\S]*?)\)(?::\s*([^{]*?))?\s*\{\n/g)].flatMap((match) => {
        const [, isAsync, , name, params, returns] = match;
        if (!params!.includes('LedgerStore') || isAsync) return [];
        return /^(Promise|AsyncIterable|AsyncGenerator)</.test((returns ?? '').trim()) ? [] : [`${file.path}: ${name} is synchronous`];
      }),
    );
}

/** SQL text with `?` placeholders compiles for SQLite only: the store writes its statements as kysely builders or sql templates. */
function placeholderSql(tree: readonly SourceFile[]): string[] {
  return tree
    .filter((file) => /['"`][^'"`]*\b(SELECT|INSERT|UPDATE|DELETE)\b[^'"`]*\?[^'"`]*['"`]/.test(file.text))
    .map((file) => `${file.path} writes ?-placeholder SQL`);
}

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
      { path: 'pipeline/planted-transaction.ts', area: 'pipeline', text: 'ledger.store.transaction(() => book())', imports: [] },
      { path: 'cli/planted-raw.ts', area: 'cli', text: "store.sqlite.prepare('SELECT 1')", imports: [] },
      { path: 'store/planted-sync.ts', area: 'store', text: 'export function countAll(store: LedgerStore, id: string): number {\n  return 1;\n}\n', imports: [] },
      { path: 'store/allowed.ts', area: 'store', text: 'export async function countAll(store: LedgerStore): Promise<number> {\n  return 1;\n}\nexport function rows(store: LedgerStore): AsyncIterable<Row> {\n  return store.iterate(q);\n}\n', imports: [] },
      { path: 'store/planted-placeholder.ts', area: 'store', text: "const FIND = 'SELECT id FROM orders WHERE id = ?';", imports: [] },
    ];
    expect(sqliteOutsideStore(planted)).toEqual(['pipeline/planted-transaction.ts uses SQLite directly', 'cli/planted-raw.ts uses SQLite directly']);
    expect(synchronousStoreFunctions(planted)).toEqual(['store/planted-sync.ts: countAll is synchronous']);
    expect(placeholderSql(planted)).toEqual(['store/planted-placeholder.ts writes ?-placeholder SQL']);
  });
});

describe('the source tree keeps its layers apart', () => {
  it('money, calendar and errors import nothing of ours', () => {
    expect(
      violations((file, target) =>
        // A module of ours resolves to a .js path under src/ (errors.js included); packages do not.
        (['money', 'calendar'].includes(file.area) && target.endsWith('.js') && !target.startsWith('.') && areaOf(target) !== file.area) ||
        (file.area === 'errors' && target.startsWith('money'))
          ? `${file.path} imports ${target}`
          : undefined,
      ),
    ).toEqual([]);
  });

  it('sources never import destinations, and the reverse', () => {
    expect(
      violations((file, target) => {
        const to = areaOf(target);
        if (file.area === 'sources' && to === 'destinations') return `${file.path} imports ${target}`;
        if (file.area === 'destinations' && to === 'sources') return `${file.path} imports ${target}`;
        return undefined;
      }),
    ).toEqual([]);
  });

  it('no stage imports the pipeline or the CLI', () => {
    expect(
      violations((file, target) =>
        ['sources', 'destinations', 'rules', 'ledger', 'store', 'money', 'calendar', 'config', 'http', 'sandbox'].includes(file.area) &&
        ['pipeline', 'cli', 'scheduler'].includes(areaOf(target))
          ? `${file.path} imports ${target}`
          : undefined,
      ),
    ).toEqual([]);
  });

  it('the rules are pure: no I/O modules, no clock, no environment', () => {
    const rules = files.filter((file) => file.area === 'rules');
    expect(rules.length).toBeGreaterThan(0);
    const impure = rules.flatMap((file) => [
      ...file.imports.filter((target) => target.startsWith('node:') || ['store', 'sources', 'destinations', 'http', 'config'].includes(areaOf(target))).map((target) => `${file.path} imports ${target}`),
      ...(/Date\.now\(|new Date\(\)|process\.|Math\.random/.test(file.text) ? [`${file.path} reads the clock, randomness or the process`] : []),
    ]);
    expect(impure).toEqual([]);
  });

  it('only the CLI reads process.env or exits the process', () => {
    const offenders = files
      .filter((file) => file.area !== 'cli' && /process\.env|process\.exit\(/.test(file.text))
      .map((file) => file.path);
    expect(offenders).toEqual([]);
  });

  it('money never goes through floats in src/', () => {
    const offenders = files.filter((file) => /parseFloat\(|toFixed\(/.test(file.text)).map((file) => file.path);
    expect(offenders).toEqual([]);
  });
});
