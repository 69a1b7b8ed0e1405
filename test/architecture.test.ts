import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layout is the architecture (STYLE.md): sources → ledger → rules →
 * destinations, the pipeline as the only place they meet, the CLI on top.
 * This test keeps the import rules true without anyone having to remember them.
 */
const root = resolve(import.meta.dirname, '..');
const srcDir = join(root, 'src');
const sandboxDir = join(root, 'sandbox');

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

/** The module names a file loads: every import and `export … from` (type-only included), `import('…')`, `require('…')` and `import x = require('…')`. */
function moduleNames(source: ts.SourceFile): string[] {
  const names: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      names.push(node.moduleSpecifier.text);
    } else if (ts.isExternalModuleReference(node) && ts.isStringLiteral(node.expression)) {
      names.push(node.expression.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      names.push(node.argument.literal.text);
    } else if (ts.isCallExpression(node) && isImportOrRequire(node.expression) && node.arguments.length > 0 && ts.isStringLiteralLike(node.arguments[0]!)) {
      names.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

function isImportOrRequire(callee: ts.Expression): boolean {
  return callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require');
}

/** The file's text with every comment blanked (found by the parser, so a string holding `/*` or `//` stays code). */
function withoutComments(source: ts.SourceFile): string {
  const text = source.getFullText();
  const ranges = new Map<number, number>();
  const collect = (node: ts.Node): void => {
    for (const range of [...(ts.getLeadingCommentRanges(text, node.getFullStart()) ?? []), ...(ts.getTrailingCommentRanges(text, node.getEnd()) ?? [])]) ranges.set(range.pos, range.end);
    ts.forEachChild(node, collect);
  };
  collect(source);
  collect(source.endOfFileToken);
  let code = text;
  for (const [pos, end] of ranges) code = code.slice(0, pos) + code.slice(pos, end).replace(/[^\n]/g, ' ') + code.slice(end);
  return code;
}

/** A file's imports and code as the TypeScript parser reads them (comments and strings cannot pass for either). */
function parsed(path: string, text: string): { imports: string[]; code: string } {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
  return { imports: moduleNames(source), code: withoutComments(source) };
}

/** Every .ts file under `dir`, its path and relative imports resolved against `dir` (so src/ files import "money/index.js"). */
function readTree(dir: string): SourceFile[] {
  return filesUnder(dir).map((path) => {
    // Comments may mention what the code must not do; only code counts.
    const { imports, code } = parsed(path, readFileSync(path, 'utf8'));
    const local = relative(dir, path);
    const area = local.includes('/') ? local.split('/')[0]! : local.replace(/\.ts$/, '');
    return {
      path: local,
      area,
      text: code,
      imports: imports.map((specifier) => (specifier.startsWith('.') ? relative(dir, resolve(dirname(path), specifier)) : specifier)),
    };
  });
}

const files = readTree(srcDir);
/** The sandbox beside src/: its imports of src/ read "../src/money/index.js". */
const sandboxFiles = readTree(sandboxDir);

function areaOf(target: string): string {
  return target.includes('/') ? target.split('/')[0]! : target.replace(/\.js$/, '');
}

function violations(check: (file: SourceFile, target: string) => string | undefined): string[] {
  return files.flatMap((file) => file.imports.flatMap((target) => check(file, target) ?? []));
}

describe('imports are read by the TypeScript parser', () => {
  it('every kind of import counts, and comments, strings and templates that only look like one do not', () => {
    const text = [
      "const glob = 'migrations/*.ts';",
      "import { sql } from 'kysely';",
      "/* import { Pool } from 'pg'; */",
      "// import PgBoss from 'pg-boss';",
      "const example = `import Database from 'better-sqlite3'`;",
      "const note = \"export * from 'pg'\";",
      "import type { Money } from './money/index.js';",
      "export type { Entry } from './ledger/index.js';",
      "export * from './rules/index.js';",
      "const pg = require('pg');",
      "const boss = await import('pg-boss');",
      "type Row = import('./store/index.js').Row;",
      "const comment = '*/';",
    ].join('\n');
    const { imports, code } = parsed('planted.ts', text);
    expect(imports).toEqual(['kysely', './money/index.js', './ledger/index.js', './rules/index.js', 'pg', 'pg-boss', './store/index.js']);
    expect(code).toContain("const glob = 'migrations/*.ts';\nimport { sql } from 'kysely';");
    expect(code).not.toContain('Pool');
    expect(code).not.toContain('PgBoss');
  });
});

/** Packages that talk to a database: only the store may import them. */
const DATABASE_PACKAGES = ['kysely', 'better-sqlite3', 'pg'];
/** The job queue's package: only src/queue imports it, so one module owns the queue's tables and options. */
const QUEUE_PACKAGE = 'pg-boss';
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

/** Sources and destinations talk to the outside world; what they keep goes through a port the pipeline implements over the store. */
const STORE_FREE_AREAS = ['sources', 'destinations'];

/** Every import of src/store from src/sources or src/destinations. */
function storeImportsAtTheEdges(tree: readonly SourceFile[]): string[] {
  return tree
    .filter((file) => STORE_FREE_AREAS.includes(file.area))
    .flatMap((file) => file.imports.filter((target) => areaOf(target) === 'store').map((target) => `${file.path} imports ${target}`));
}

describe('sources and destinations never import the store', () => {
  it('no file in src/sources or src/destinations imports src/store', () => {
    expect(files.some((file) => file.area === 'sources')).toBe(true);
    expect(storeImportsAtTheEdges(files)).toEqual([]);
  });

  it('the rule catches a planted import of the store index or a store file', () => {
    const planted: SourceFile[] = [
      { path: 'sources/webhooks/planted-inbox.ts', area: 'sources', text: '', imports: ['store/index.js', 'sources/webhooks/interpret-webhook.js'] },
      { path: 'destinations/planted-outbox.ts', area: 'destinations', text: '', imports: ['store/delivery-outbox.js', 'ledger/index.js'] },
      { path: 'pipeline/allowed.ts', area: 'pipeline', text: '', imports: ['store/index.js', 'sources/index.js'] },
      { path: 'cli/commands/allowed.ts', area: 'cli', text: '', imports: ['store/index.js'] },
    ];
    expect(storeImportsAtTheEdges(planted)).toEqual([
      'sources/webhooks/planted-inbox.ts imports store/index.js',
      'destinations/planted-outbox.ts imports store/delivery-outbox.js',
    ]);
  });
});

/** The domain core's only neighbours: the shared leaves, and zod for the shapes of stored state. */
const RULES_MAY_IMPORT = ['rules', 'money', 'calendar', 'errors'];
const RULES_PACKAGES = ['zod'];

/** Every import in src/rules of a module outside the shared leaves, or of a package other than zod. */
function rulesOutsideTheCore(tree: readonly SourceFile[]): string[] {
  return tree
    .filter((file) => file.area === 'rules')
    .flatMap((file) =>
      file.imports
        .filter((target) => (target.endsWith('.js') ? !RULES_MAY_IMPORT.includes(areaOf(target)) : !RULES_PACKAGES.includes(target)))
        .map((target) => `${file.path} imports ${target}`),
    );
}

/** The nightly close and the replay share rules and small pipeline modules, never each other's files. */
function syncAndBackfillImports(tree: readonly SourceFile[]): string[] {
  const step = (path: string): string | undefined => /^pipeline\/(sync|backfill)\//.exec(path)?.[1];
  return tree.flatMap((file) => {
    const from = step(file.path);
    if (from === undefined) return [];
    return file.imports.filter((target) => (step(target) ?? from) !== from).map((target) => `${file.path} imports ${target}`);
  });
}

describe('the domain core and the pipeline steps keep apart', () => {
  it('src/rules imports only money, calendar, errors, itself and zod', () => {
    expect(files.some((file) => file.area === 'rules')).toBe(true);
    expect(rulesOutsideTheCore(files)).toEqual([]);
  });

  it('the rule catches a planted import of config, the ledger or another package', () => {
    const planted: SourceFile[] = [
      { path: 'rules/planted-config.ts', area: 'rules', text: '', imports: ['config/index.js'] },
      { path: 'rules/panel/planted-ledger.ts', area: 'rules', text: '', imports: ['ledger/ledger.js', 'money/index.js', 'rules/finding.js', 'errors.js', 'zod'] },
      { path: 'rules/planted-package.ts', area: 'rules', text: '', imports: ['kysely'] },
      { path: 'pipeline/allowed.ts', area: 'pipeline', text: '', imports: ['config/index.js'] },
    ];
    expect(rulesOutsideTheCore(planted)).toEqual([
      'rules/planted-config.ts imports config/index.js',
      'rules/panel/planted-ledger.ts imports ledger/ledger.js',
      'rules/planted-package.ts imports kysely',
    ]);
  });

  it('pipeline/sync and pipeline/backfill do not import each other', () => {
    expect(syncAndBackfillImports(files)).toEqual([]);
  });

  it('the rule catches a planted import either way', () => {
    const planted: SourceFile[] = [
      { path: 'pipeline/backfill/planted.ts', area: 'pipeline', text: '', imports: ['pipeline/sync/panel-close.js', 'pipeline/backfill/replayed-closes.js'] },
      { path: 'pipeline/sync/planted.ts', area: 'pipeline', text: '', imports: ['pipeline/backfill/replay-source.js', 'pipeline/panel-status-replies.js'] },
      { path: 'pipeline/run-sync.ts', area: 'pipeline', text: '', imports: ['pipeline/sync/panel-close.js', 'pipeline/backfill/replay-source.js'] },
    ];
    expect(syncAndBackfillImports(planted)).toEqual([
      'pipeline/backfill/planted.ts imports pipeline/sync/panel-close.js',
      'pipeline/sync/planted.ts imports pipeline/backfill/replay-source.js',
    ]);
  });
});

/** The CLI commands that start the sandbox: the only files in src/ that may import it, and only its index.ts. */
const SANDBOX_STARTERS = ['cli/commands/sandbox.ts', 'cli/commands/demo.ts'];
/** src/ as the sandbox sees it: the shared leaves, and each stage's public index.ts (never the pipeline, CLI or scheduler). */
function sandboxMayImport(target: string): boolean {
  if (!target.startsWith('..')) return true;
  if (!target.startsWith('../src/')) return false;
  const inSrc = target.slice('../src/'.length);
  // listenOn is the one http helper the sandbox shares, and src/http has no index.ts yet.
  if (inSrc === 'errors.js' || inSrc === 'http/listen.js') return true;
  const [area, file, ...deeper] = inSrc.split('/');
  return file === 'index.js' && deeper.length === 0 && !['pipeline', 'cli', 'scheduler'].includes(area!);
}

/** Every import across the line between src/ and the sandbox that the layout does not allow. */
function sandboxBoundary(srcTree: readonly SourceFile[], sandboxTree: readonly SourceFile[]): string[] {
  return [
    ...srcTree.flatMap((file) =>
      file.imports
        .filter((target) => target.startsWith('../sandbox/') && !(SANDBOX_STARTERS.includes(file.path) && target === '../sandbox/index.js'))
        .map((target) => `src/${file.path} imports ${target}`),
    ),
    ...sandboxTree.flatMap((file) =>
      file.imports.filter((target) => !sandboxMayImport(target)).map((target) => `sandbox/${file.path} imports ${target}`),
    ),
  ];
}

describe('the sandbox stays beside src/, reached from one place', () => {
  it('only the sandbox and demo commands import the sandbox, through its index.ts; the sandbox imports only src leaves and public index.ts files', () => {
    expect(sandboxFiles.length).toBeGreaterThan(0);
    expect(sandboxBoundary(files, sandboxFiles)).toEqual([]);
  });

  it('the rule catches a planted violation of each kind', () => {
    const plantedSrc: SourceFile[] = [
      { path: 'sources/planted-clock.ts', area: 'sources', text: '', imports: ['../sandbox/index.js'] },
      { path: 'cli/commands/sandbox.ts', area: 'cli', text: '', imports: ['../sandbox/index.js', '../sandbox/panel-flavours.js'] },
      { path: 'cli/commands/demo.ts', area: 'cli', text: '', imports: ['../sandbox/index.js'] },
    ];
    const plantedSandbox: SourceFile[] = [
      { path: 'planted-internal.ts', area: 'planted-internal', text: '', imports: ['../src/destinations/quickbooks/quickbooks-client.js'] },
      { path: 'planted-pipeline.ts', area: 'planted-pipeline', text: '', imports: ['../src/pipeline/index.js'] },
      { path: 'planted-outside.ts', area: 'planted-outside', text: '', imports: ['../test/sandbox/sandbox-http.js'] },
      { path: 'quickbooks/allowed.ts', area: 'quickbooks', text: '', imports: ['../src/money/index.js', '../src/errors.js', '../src/rules/index.js', 'fake-kit/index.js', 'node:http'] },
    ];
    expect(sandboxBoundary(plantedSrc, plantedSandbox)).toEqual([
      'src/sources/planted-clock.ts imports ../sandbox/index.js',
      'src/cli/commands/sandbox.ts imports ../sandbox/panel-flavours.js',
      'sandbox/planted-internal.ts imports ../src/destinations/quickbooks/quickbooks-client.js',
      'sandbox/planted-pipeline.ts imports ../src/pipeline/index.js',
      'sandbox/planted-outside.ts imports ../test/sandbox/sandbox-http.js',
    ]);
  });
});

/** Areas whose files are their own business: others name only the area's index.ts, so a file can move inside without its callers knowing. */
const BEHIND_AN_INDEX = ['sources', 'destinations', 'ledger', 'store', 'rules', 'config'];

/** Every import from one area into another such area that names a file other than that area's top index.ts (a sub-folder's index included). */
function importsPastAnIndex(tree: readonly SourceFile[]): string[] {
  return tree.flatMap((file) =>
    file.imports
      .filter((target) => {
        const to = areaOf(target);
        return to !== file.area && BEHIND_AN_INDEX.includes(to) && target !== `${to}/index.js`;
      })
      .map((target) => `${file.path} imports ${target}`),
  );
}

describe('each stage is reached through its index.ts', () => {
  it('no import from another area names a file inside sources, destinations, ledger, store, rules or config', () => {
    expect(importsPastAnIndex(files)).toEqual([]);
  });

  it('the rule catches a planted deep import into each kind of area', () => {
    const planted: SourceFile[] = [
      { path: 'pipeline/planted-source.ts', area: 'pipeline', text: '', imports: ['sources/panel/panel-client.js', 'sources/index.js'] },
      { path: 'cli/planted-destination.ts', area: 'cli', text: '', imports: ['destinations/token-store.js', 'destinations/csv/index.js'] },
      { path: 'store/planted-config.ts', area: 'store', text: '', imports: ['config/ledger-location.js', 'kysely'] },
      { path: 'pipeline/planted-ledger.ts', area: 'pipeline', text: '', imports: ['ledger/ledger.js', 'rules/journal/journalize.js', 'store/index.js', 'http/clock.js'] },
      { path: 'sources/panel/allowed.ts', area: 'sources', text: '', imports: ['sources/panel/panel-wire.js', 'sources/webhooks/index.js', 'rules/index.js', 'errors.js'] },
    ];
    expect(importsPastAnIndex(planted)).toEqual([
      'pipeline/planted-source.ts imports sources/panel/panel-client.js',
      'cli/planted-destination.ts imports destinations/token-store.js',
      'cli/planted-destination.ts imports destinations/csv/index.js',
      'store/planted-config.ts imports config/ledger-location.js',
      'pipeline/planted-ledger.ts imports ledger/ledger.js',
      'pipeline/planted-ledger.ts imports rules/journal/journalize.js',
    ]);
  });
});

/** Transactions, the raw connection or the SQLite executor itself: only the store may use them; everyone else has unitOfWork. */
const SQLITE_ONLY = /\.transaction\(|\.sqlite\.|\bSqliteLedgerStore\b|\bDatabase\.(Database|Statement)\b/;

/** Every file outside src/store that opens a transaction itself or reaches past the store's interface to SQLite. */
function sqliteOutsideStore(tree: readonly SourceFile[]): string[] {
  return tree.filter((file) => file.area !== 'store' && SQLITE_ONLY.test(file.text)).map((file) => `${file.path} uses SQLite directly`);
}

/**
 * Each exported store function that takes the store but answers synchronously (a PostgreSQL executor could not serve it).
 * store/query-builder.ts asks no question of the database: it hands the repositories their kysely handle.
 */
function synchronousStoreFunctions(tree: readonly SourceFile[]): string[] {
  return tree
    .filter((file) => file.area === 'store' && file.path !== 'store/query-builder.ts')
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

/** The run record and the ledger's run lock: one protocol, in one helper (the store only offers the verbs). */
const RUN_LOCK_VERBS = /\b(startRun|finishRun|acquireRunLock|heartbeatRunLock|releaseRunLock)\(/g;
const RUN_LOCK_HELPER = 'pipeline/runs/recorded-run.ts';

/** Every file outside src/store and the one helper that calls a run-lock verb itself, and which ones. */
function runLockOutsideHelper(tree: readonly SourceFile[]): string[] {
  return tree
    .filter((file) => file.area !== 'store' && file.path !== RUN_LOCK_HELPER)
    .flatMap((file) => {
      const verbs = [...new Set([...file.text.matchAll(RUN_LOCK_VERBS)].map((match) => match[1]!))];
      return verbs.length === 0 ? [] : [`${file.path} calls ${verbs.join(', ')}`];
    });
}

describe('one run-lock protocol', () => {
  it(`only src/store and ${RUN_LOCK_HELPER} call startRun, finishRun or the run lock's verbs`, () => {
    expect(runLockOutsideHelper(files)).toEqual([]);
  });

  it('the rule catches a planted call of each kind, and leaves the helper and the store alone', () => {
    const planted: SourceFile[] = [
      { path: 'cli/planted-lock.ts', area: 'cli', text: 'const abandoned = await acquireRunLock(ledger.store, { runId, now, staleAfterMs });\nawait releaseRunLock(ledger.store, runId);', imports: [] },
      { path: 'pipeline/planted-record.ts', area: 'pipeline', text: "const runId = await startRun(store, 'schedule', asOf, now());\nawait finishRun(store, runId, record);", imports: [] },
      { path: 'pipeline/planted-beat.ts', area: 'pipeline', text: 'onProgress: () => heartbeatRunLock(store, runId, now()),', imports: [] },
      { path: RUN_LOCK_HELPER, area: 'pipeline', text: 'const runId = await startRun(store, command, asOf, now());\nawait acquireRunLock(store, options);', imports: [] },
      { path: 'store/runs.ts', area: 'store', text: 'export async function startRun(store: LedgerStore): Promise<string> {}', imports: [] },
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
        ['sources', 'destinations', 'rules', 'ledger', 'store', 'money', 'calendar', 'config', 'http'].includes(file.area) &&
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

/** The one retry loop and the one throttle module: the only code of ours that sleeps (clock.ts defines the sleep). */
const SLEEPERS = ['http/retry-loop.ts', 'http/throttle.ts', 'http/clock.ts'];
/** A sleep on the injected clock, or one built from setTimeout: the makings of a retry loop or a rate limiter. */
const SLEEPS = /\.sleep\(|new Promise[^;]*setTimeout\(\s*resolve/;

/** Files outside the retry loop and the throttle module that sleep. The sandbox is exempt: it plays the servers, their delays included. */
function sleepsOutsideTheOneLoop(tree: readonly SourceFile[]): string[] {
  return tree.filter((file) => file.area !== 'sandbox' && !SLEEPERS.includes(file.path) && SLEEPS.test(file.text)).map((file) => `${file.path} sleeps`);
}

/** A date pattern in a regular expression: \d{4}-\d{2}, with or without capture groups. */
const DATE_PATTERN = /\\d\{4\}\)?-\(?\\d\{2\}/;

/** Files outside src/calendar that read dates with a regex of their own (the sandbox plays the vendors, and reads as they do). */
function datePatternsOutsideCalendar(tree: readonly SourceFile[]): string[] {
  return tree.filter((file) => !['calendar', 'sandbox'].includes(file.area) && DATE_PATTERN.test(file.text)).map((file) => `${file.path} has a date regex`);
}

/** Names that must be defined once in src/ (the sandbox's fakes keep their own vendor types), compared case-insensitively so "QuickBooksFault" counts as a second "QuickbooksFault". */
const DEFINED_ONCE = ['assertNever', 'QuickbooksFault', 'CalendarDateSchema', 'readIsoDateTime', 'retryLoop', 'createRateLimiter', 'createCallWindow', 'createInFlightLimit'];

function definitionsOf(tree: readonly SourceFile[]): Map<string, string[]> {
  const found = new Map(DEFINED_ONCE.map((name) => [name.toLowerCase(), [] as string[]]));
  for (const file of tree.filter((candidate) => candidate.area !== 'sandbox')) {
    // A definition, not a mention: `type X,` inside an import list is followed by neither `=`, `(`, `<`, `:`, `{` nor extends.
    for (const match of file.text.matchAll(/\b(?:function|const|let|interface|type|class)\s+([A-Za-z_$][\w$]*)\s*(?:[=(<:{]|extends\b)/g)) {
      found.get(match[1]!.toLowerCase())?.push(file.path);
    }
  }
  return found;
}

function definedMoreOrLessThanOnce(tree: readonly SourceFile[]): string[] {
  return [...definitionsOf(tree)].filter(([, paths]) => paths.length !== 1).map(([name, paths]) => `${name}: ${paths.length === 0 ? 'not defined' : paths.join(', ')}`);
}

describe('one retry loop, one throttle, one ISO reader, one calendar-date schema', () => {
  it('only src/http/retry-loop.ts and src/http/throttle.ts sleep', () => {
    expect(sleepsOutsideTheOneLoop(files)).toEqual([]);
  });

  it('no date regex outside src/calendar', () => {
    expect(datePatternsOutsideCalendar(files)).toEqual([]);
  });

  it('assertNever, the QuickBooks fault type, the date schema, the ISO reader, the retry loop and each throttle are defined once', () => {
    expect(definedMoreOrLessThanOnce(files)).toEqual([]);
  });

  it('the rules catch a planted violation of each kind', () => {
    const planted: SourceFile[] = [
      { path: 'destinations/planted-retry.ts', area: 'destinations', text: 'for (;;) { if (ok) break; await clock.sleep(backoff); }', imports: [] },
      { path: 'sources/planted-sleep.ts', area: 'sources', text: 'await new Promise((resolve) => setTimeout(resolve, 500));', imports: [] },
      { path: 'http/throttle.ts', area: 'http', text: 'await clock.sleep(waitMs);', imports: [] },
      { path: 'sandbox/planted-delay.ts', area: 'sandbox', text: 'await clock.sleep(latency);', imports: [] },
      { path: 'sources/planted-date.ts', area: 'sources', text: 'const DATE = /^(\\d{4})-(\\d{2})-(\\d{2})$/;', imports: [] },
      { path: 'config/planted-schema.ts', area: 'config', text: 'z.string().regex(/^\\d{4}-\\d{2}-\\d{2}$/)', imports: [] },
      { path: 'calendar/calendar-date.ts', area: 'calendar', text: 'const DATE_TEXT = /^(\\d{4})-(\\d{2})-(\\d{2})$/;', imports: [] },
      { path: 'rules/assert-never.ts', area: 'rules', text: 'export function assertNever(value: never): never {}', imports: [] },
      { path: 'pipeline/planted-never.ts', area: 'pipeline', text: 'function assertNever(value: never): never {}', imports: [] },
      { path: 'destinations/quickbooks/quickbooks-wire.ts', area: 'destinations', text: 'export type QuickbooksFault = {};', imports: [] },
      { path: 'destinations/quickbooks/planted-fault.ts', area: 'destinations', text: 'interface QuickBooksFault {}', imports: [] },
    ];
    expect(sleepsOutsideTheOneLoop(planted)).toEqual(['destinations/planted-retry.ts sleeps', 'sources/planted-sleep.ts sleeps']);
    expect(datePatternsOutsideCalendar(planted)).toEqual(['sources/planted-date.ts has a date regex', 'config/planted-schema.ts has a date regex']);
    const twice = definedMoreOrLessThanOnce(planted);
    expect(twice).toContain('assertnever: rules/assert-never.ts, pipeline/planted-never.ts');
    expect(twice).toContain('quickbooksfault: destinations/quickbooks/quickbooks-wire.ts, destinations/quickbooks/planted-fault.ts');
  });
});

/** The stages of the pipeline: every use case under src/pipeline may import each of them. */
const STAGES = ['calendar', 'config', 'destinations', 'errors', 'http', 'ledger', 'log', 'money', 'rules', 'sources', 'store'];

interface Layer {
  /** A top folder of src/, `errors` (src/errors.ts), or a use case's folder under src/pipeline (`pipeline` alone: the files at its root). */
  area: string;
  holds: string;
  /** The areas of ours its files may import (packages have rules of their own above). */
  mayImport: readonly string[];
}

/**
 * Who may import whom, as data: the test below holds every import in src/ to it, and docs/architecture.md
 * quotes it (the table rendered from this list must appear there word for word).
 */
const LAYERS: readonly Layer[] = [
  { area: 'money', holds: 'exact amounts (bigint micro-units), decimal text, half-even rounding', mayImport: [] },
  { area: 'calendar', holds: 'calendar dates: the one date schema, the one ISO 8601 reader, days in a time zone', mayImport: [] },
  { area: 'errors', holds: 'the error types, one per failure a user must tell apart, and their exit codes', mayImport: ['money'] },
  { area: 'log', holds: 'the logger and printable text', mayImport: ['errors'] },
  { area: 'rules', holds: 'the domain core, pure functions each with a worked example: the vocabulary, journal rules, per-source close and replay logic', mayImport: ['calendar', 'errors', 'money'] },
  { area: 'config', holds: 'the configuration schema and loader, the chart and mappings', mayImport: ['errors', 'money', 'rules'] },
  { area: 'http', holds: 'the one retry loop, the one throttle module, the raw-reply hook, the listener', mayImport: ['errors', 'money'] },
  { area: 'store', holds: 'the only place that touches the database: `LedgerStore`, its SQLite and PostgreSQL executors, migrations, repositories', mayImport: ['config', 'errors', 'rules'] },
  { area: 'ledger', holds: 'the double-entry books over the store: append (checked and rendered by the rules), content hash, balances', mayImport: ['errors', 'rules', 'store'] },
  { area: 'queue', holds: 'the job queue on pg-boss in a PostgreSQL ledger\'s database', mayImport: ['config', 'errors'] },
  { area: 'sources', holds: 'the SMM panel and ad-network clients, the orders file, the webhook receiver, the panel proxy', mayImport: ['calendar', 'errors', 'http', 'log', 'money'] },
  { area: 'destinations', holds: 'Xero, QuickBooks and the CSV exports', mayImport: ['calendar', 'config', 'errors', 'http', 'ledger', 'money', 'rules'] },
  { area: 'alerts', holds: 'the alert sender (webhook, command) and the token-expiry check', mayImport: ['config', 'http', 'log'] },
  { area: 'pipeline/books', holds: 'the composition root: opens the ledger and hands each use case the port it declares, implemented by the store', mayImport: STAGES },
  { area: 'pipeline/landing', holds: 'raw replies and webhook deliveries kept before they are read, and read back', mayImport: STAGES },
  { area: 'pipeline/panel-proxy', holds: 'the panel proxy\'s ledger side: `add` requests, their outcomes, the spool file', mayImport: STAGES },
  { area: 'pipeline/operations', holds: '`doctor`, the organisation gate, exchange rates, moving a ledger to PostgreSQL', mayImport: STAGES },
  { area: 'pipeline/runs', holds: 'a run as recorded: the run lock protocol, alerts, what a sync reports and how it becomes the summary and exit code', mayImport: [...STAGES, 'alerts'] },
  { area: 'pipeline/reports', holds: 'the read models: balances, status, reconcile and the tie-out, the finance report and console, exports', mayImport: [...STAGES, 'pipeline/panel-proxy', 'pipeline/runs'] },
  { area: 'pipeline/sync', holds: 'the nightly sync (`syncNight`): each source\'s close of a day, live or through the queue', mayImport: [...STAGES, 'alerts', 'queue', 'pipeline/landing', 'pipeline/panel-proxy', 'pipeline/runs'] },
  { area: 'pipeline/backfill', holds: 'the backfill (`backfillWindow`): stored replies read again, differences booked as corrections', mayImport: [...STAGES, 'pipeline/landing', 'pipeline/runs'] },
  { area: 'pipeline/post', holds: 'the post: delivery to a destination through the outbox', mayImport: [...STAGES, 'pipeline/operations', 'pipeline/runs'] },
  { area: 'pipeline/nightly', holds: 'the scheduled night (`runNightly`): sync, then post the synced days, locally or through workers', mayImport: [...STAGES, 'alerts', 'queue', 'pipeline/operations', 'pipeline/post', 'pipeline/runs', 'pipeline/sync'] },
  { area: 'scheduler', holds: 'the cron wiring', mayImport: ['log'] },
  {
    area: 'cli',
    holds: 'argument parsing, the commands, their output, exit codes; the only reader of `process.env`',
    mayImport: [...STAGES, 'alerts', 'queue', 'scheduler', 'pipeline/backfill', 'pipeline/books', 'pipeline/landing', 'pipeline/nightly', 'pipeline/operations', 'pipeline/panel-proxy', 'pipeline/post', 'pipeline/reports', 'pipeline/runs', 'pipeline/sync'],
  },
];

/** The table's area of a path relative to src/: a use case's folder under pipeline/, else the top folder (or errors). */
function layerOf(path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'pipeline' && parts.length > 2) return `pipeline/${parts[1]}`;
  return parts.length > 1 ? parts[0]! : parts[0]!.replace(/\.(ts|js)$/, '');
}

/** Every import of ours the table does not allow, and every file whose area the table does not name. */
function importsOutsideTheTable(tree: readonly SourceFile[], layers: readonly Layer[]): string[] {
  const byArea = new Map(layers.map((layer) => [layer.area, layer]));
  const ours = new Set(files.map((file) => layerOf(file.path).split('/')[0]!));
  return tree.flatMap((file) => {
    const from = layerOf(file.path);
    const layer = byArea.get(from);
    if (layer === undefined) return [`${file.path}: ${from} is not in the table`];
    return file.imports
      .filter((target) => target.endsWith('.js') && ours.has(layerOf(target).split('/')[0]!))
      .filter((target) => layerOf(target) !== from && !layer.mayImport.includes(layerOf(target)))
      .map((target) => `${file.path} imports ${target} (${from} may not import ${layerOf(target)})`);
  });
}

/** The table as docs/architecture.md quotes it. */
function renderedTable(layers: readonly Layer[]): string {
  const name = (area: string) => (area === 'errors' ? '`errors.ts`' : `\`${area}/\``);
  const allowed = (mayImport: readonly string[]) => {
    const stages = STAGES.every((stage) => mayImport.includes(stage));
    const rest = mayImport.filter((area) => !stages || !STAGES.includes(area)).map((area) => `\`${area}\``);
    return [...(stages ? ['the stages'] : []), ...rest].join(', ') || 'nothing of ours';
  };
  return [
    '| folder | what it holds | may import |',
    '|---|---|---|',
    ...layers.map((layer) => `| ${name(layer.area)} | ${layer.holds} | ${allowed(layer.mayImport)} |`),
    '',
    `The stages: ${STAGES.map((stage) => `\`${stage}\``).join(', ')}.`,
  ].join('\n');
}

/** The lines of the rendered table that the document does not hold. */
function tableDrift(doc: string, layers: readonly Layer[]): string[] {
  const lines = new Set(doc.split('\n'));
  return renderedTable(layers).split('\n').filter((line) => line !== '' && !lines.has(line));
}

const architectureDoc = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');

describe('the may-import table is data, enforced here and quoted by the doc', () => {
  it('every import in src/ is one the table allows, and every area of src/ is in the table', () => {
    expect(importsOutsideTheTable(files, LAYERS)).toEqual([]);
  });

  it('docs/architecture.md quotes the table exactly', () => {
    expect(tableDrift(architectureDoc, LAYERS)).toEqual([]);
  });

  it('the rules catch a planted import, a planted area and a doc that drifted', () => {
    const planted: SourceFile[] = [
      { path: 'rules/planted-store.ts', area: 'rules', text: '', imports: ['store/index.js', 'money/index.js', 'zod'] },
      { path: 'pipeline/runs/planted-sync.ts', area: 'pipeline', text: '', imports: ['pipeline/sync/index.js', 'pipeline/runs/recorded-run.js', 'store/index.js'] },
      { path: 'pipeline/backfill/planted.ts', area: 'pipeline', text: '', imports: ['pipeline/sync/index.js'] },
      { path: 'pipeline/planted-case/new.ts', area: 'pipeline', text: '', imports: [] },
      { path: 'cli/commands/allowed.ts', area: 'cli', text: '', imports: ['pipeline/sync/index.js', 'store/index.js', 'node:fs'] },
    ];
    expect(importsOutsideTheTable(planted, LAYERS)).toEqual([
      'rules/planted-store.ts imports store/index.js (rules may not import store)',
      'pipeline/runs/planted-sync.ts imports pipeline/sync/index.js (pipeline/runs may not import pipeline/sync)',
      'pipeline/backfill/planted.ts imports pipeline/sync/index.js (pipeline/backfill may not import pipeline/sync)',
      'pipeline/planted-case/new.ts: pipeline/planted-case is not in the table',
    ]);
    const drifted = architectureDoc.replace('| `store/` |', '| `store/` | and the CLI |');
    expect(tableDrift(drifted, LAYERS)).toHaveLength(1);
    expect(tableDrift(architectureDoc, [...LAYERS, { area: 'planted', holds: 'a new folder', mayImport: [] }])).toEqual(['| `planted/` | a new folder | nothing of ours |']);
  });
});

/** Every import of one command by another: what two commands share belongs to the use case (or a cli/ module), not to a command. */
function commandsImportingCommands(tree: readonly SourceFile[]): string[] {
  const isCommand = (path: string) => /^cli\/commands\/[^/]+\.(ts|js)$/.test(path) && !/^cli\/commands\/index\.(ts|js)$/.test(path);
  return tree.filter((file) => isCommand(file.path)).flatMap((file) => file.imports.filter(isCommand).map((target) => `${file.path} imports ${target}`));
}

describe('no command imports another command', () => {
  it('no file in src/cli/commands imports another one (the command table, index.ts, lists them all)', () => {
    expect(files.some((file) => file.path === 'cli/commands/worker.ts')).toBe(true);
    expect(commandsImportingCommands(files)).toEqual([]);
  });

  it('the rule catches a planted import of a command by a command, and leaves the table and shared modules alone', () => {
    const planted: SourceFile[] = [
      { path: 'cli/commands/worker.ts', area: 'cli', text: '', imports: ['cli/commands/post.js', 'cli/commands/sync.js', 'cli/recorded-post.js', 'pipeline/sync/index.js'] },
      { path: 'cli/commands/schedule.ts', area: 'cli', text: '', imports: ['cli/commands/schedule-post.js'] },
      { path: 'cli/commands/index.ts', area: 'cli', text: '', imports: ['cli/commands/post.js', 'cli/commands/sync.js'] },
      { path: 'cli/run-cli.ts', area: 'cli', text: '', imports: ['cli/commands/index.js'] },
    ];
    expect(commandsImportingCommands(planted)).toEqual([
      'cli/commands/worker.ts imports cli/commands/post.js',
      'cli/commands/worker.ts imports cli/commands/sync.js',
      'cli/commands/schedule.ts imports cli/commands/schedule-post.js',
    ]);
  });
});

/** The size ratchet: no function in src/ longer than this many lines, counted from its first line to its closing brace. */
const MAX_FUNCTION_LINES = 70;
/** … and no file longer than this. */
const MAX_FILE_LINES = 400;

/**
 * The functions and files over the limits today, by name and size in lines. The list only shrinks: a size
 * above its ceiling fails, and so does one below it (lower the ceiling to the new size, or remove the line
 * once it is within the limit), so a shortened function cannot grow back unnoticed.
 */
const SIZE_CEILINGS: Readonly<Record<string, number>> = {
  'cli/commands/demo.ts: run': 79,
  'cli/run-cli.ts: runCli': 97,
  'config/example-config.ts: exampleConfigText': 98,
  'sources/panel/orders-file.ts: ordersFileParser': 84,
  'sources/panel/panel-client.ts: createPanelClient': 182,
};

/** A function's name as a reader finds it: its own, or the variable or property it is assigned to. */
function functionName(node: ts.SignatureDeclaration, source: ts.SourceFile): string {
  if (node.name !== undefined) return node.name.getText(source);
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.name !== undefined) return parent.name.getText(source);
  return `a function at line ${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
}

/** Every file over MAX_FILE_LINES ("path") and function over MAX_FUNCTION_LINES ("path: name"), with its size in lines. */
function oversized(sources: readonly { path: string; text: string }[]): Map<string, number> {
  const found = new Map<string, number>();
  for (const { path, text } of sources) {
    const fileLines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    if (fileLines > MAX_FILE_LINES) found.set(path, fileLines);
    const source = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
        const lineOf = (position: number) => source.getLineAndCharacterOfPosition(position).line;
        const lines = lineOf(node.getEnd()) - lineOf(node.getStart(source)) + 1;
        if (lines > MAX_FUNCTION_LINES) found.set(`${path}: ${functionName(node, source)}`, Math.max(lines, found.get(`${path}: ${functionName(node, source)}`) ?? 0));
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/** What the ratchet refuses: a size over the limits not in the list, one above its ceiling, and a ceiling no longer true. */
function sizeRatchet(found: ReadonlyMap<string, number>, ceilings: Readonly<Record<string, number>>): string[] {
  const problems: string[] = [];
  for (const [name, lines] of found) {
    const ceiling = ceilings[name];
    if (ceiling === undefined) problems.push(`${name} is ${lines} lines (at most ${name.includes(': ') ? MAX_FUNCTION_LINES : MAX_FILE_LINES}): split it`);
    else if (lines > ceiling) problems.push(`${name} grew from ${ceiling} to ${lines} lines: split it`);
    else if (lines < ceiling) problems.push(`${name} shrank from ${ceiling} to ${lines} lines: lower its ceiling in SIZE_CEILINGS`);
  }
  for (const name of Object.keys(ceilings)) {
    if (!found.has(name)) problems.push(`${name} is within the limit now (or gone): remove it from SIZE_CEILINGS`);
  }
  return problems;
}

describe('the size ratchet', () => {
  it(`no function in src/ over ${MAX_FUNCTION_LINES} lines and no file over ${MAX_FILE_LINES}, but for the listed exceptions at their ceilings`, () => {
    const sources = files.map((file) => ({ path: file.path, text: readFileSync(join(srcDir, file.path), 'utf8') }));
    expect(sizeRatchet(oversized(sources), SIZE_CEILINGS)).toEqual([]);
  });

  it('the ratchet catches a planted long function, a long file, an exception that grew and one that shrank or went', () => {
    const body = (lines: number) => Array.from({ length: lines }, (_, index) => `  total += ${index};`).join('\n');
    const planted = [
      { path: 'pipeline/planted-long.ts', text: `export function bookEverything(): number {\n  let total = 0;\n${body(68)}\n}\n` },
      { path: 'pipeline/planted-arrow.ts', text: `export const pollAll = async () => {\n  let total = 0;\n${body(60)}\n};\n` },
      { path: 'cli/planted-big.ts', text: `${body(401)}\n` },
      { path: 'sources/planted-grown.ts', text: `function grown() {\n  let total = 0;\n${body(80)}\n}\n` },
      { path: 'sources/planted-shrunk.ts', text: `function shrunk() {\n  let total = 0;\n${body(75)}\n}\n` },
    ];
    const ceilings = { 'sources/planted-grown.ts: grown': 75, 'sources/planted-shrunk.ts: shrunk': 90, 'sources/planted-gone.ts: gone': 80 };
    expect(sizeRatchet(oversized(planted), ceilings)).toEqual([
      'pipeline/planted-long.ts: bookEverything is 71 lines (at most 70): split it',
      'cli/planted-big.ts is 401 lines (at most 400): split it',
      'sources/planted-grown.ts: grown grew from 75 to 83 lines: split it',
      'sources/planted-shrunk.ts: shrunk shrank from 90 to 78 lines: lower its ceiling in SIZE_CEILINGS',
      'sources/planted-gone.ts: gone is within the limit now (or gone): remove it from SIZE_CEILINGS',
    ]);
  });
});

/** Every import from outside a use case's folder under src/pipeline that names a file other than the folder's index.ts. */
function importsPastAUseCaseIndex(tree: readonly SourceFile[]): string[] {
  return tree.flatMap((file) =>
    file.imports
      .filter((target) => {
        const useCase = /^pipeline\/([^/]+)\/./.exec(target)?.[1];
        return useCase !== undefined && !file.path.startsWith(`pipeline/${useCase}/`) && target !== `pipeline/${useCase}/index.js`;
      })
      .map((target) => `${file.path} imports ${target}`),
  );
}

describe('each use case of the pipeline is reached through its index.ts', () => {
  it('no import from outside a folder of src/pipeline names a file inside it', () => {
    expect(files.some((file) => file.path === 'pipeline/sync/index.ts')).toBe(true);
    expect(importsPastAUseCaseIndex(files)).toEqual([]);
  });

  it('the rule catches a planted deep import from the CLI and from another use case, and leaves a folder\'s own files alone', () => {
    const planted: SourceFile[] = [
      { path: 'cli/commands/planted.ts', area: 'cli', text: '', imports: ['pipeline/sync/sync-night.js', 'pipeline/runs/index.js'] },
      { path: 'pipeline/nightly/planted.ts', area: 'pipeline', text: '', imports: ['pipeline/reports/finance-report/index.js', 'pipeline/nightly/nightly-run.js'] },
      { path: 'pipeline/sync/allowed.ts', area: 'pipeline', text: '', imports: ['pipeline/sync/panel-close.js', 'pipeline/landing/index.js', 'pipeline/post.js'] },
    ];
    expect(importsPastAUseCaseIndex(planted)).toEqual([
      'cli/commands/planted.ts imports pipeline/sync/sync-night.js',
      'pipeline/nightly/planted.ts imports pipeline/reports/finance-report/index.js',
    ]);
  });
});

/** Deciding a retry by hand: building the loop's wait, asking the resend or Retry-After rules, or reading 429 or a 5xx. */
const DECIDES_A_RETRY = /kind:\s*'wait'|\b(maySendAgain|RETRYABLE_STATUSES|parseRetryAfter)\b|status\s*[!=]==?\s*429|status\s*>=?\s*5\d\d/;

/** Files outside src/http that decide a retry themselves, or run the retry loop without asking decideRetry what each attempt means. */
function retryDecisionsOutsideHttp(tree: readonly SourceFile[]): string[] {
  return tree
    .filter((file) => file.area !== 'http' && file.area !== 'sandbox')
    .flatMap((file) => [
      ...(DECIDES_A_RETRY.test(file.text) ? [`${file.path} decides a retry`] : []),
      ...(/\bretryLoop\(/.test(file.text) && !/\bdecideRetry\(/.test(file.text) ? [`${file.path} retries without decideRetry`] : []),
    ]);
}

describe('one retry decision', () => {
  it('only src/http decides what is worth another try (decideRetry); clients configure waits, polls use pollUntil', () => {
    expect(retryDecisionsOutsideHttp(files)).toEqual([]);
  });

  it('the rule catches a planted violation of each kind, and leaves src/http and the sandbox alone', () => {
    const planted: SourceFile[] = [
      { path: 'destinations/planted-wait.ts', area: 'destinations', text: "return { kind: 'wait', waitMs: 60_000, failure, reason };", imports: [] },
      { path: 'sources/planted-status.ts', area: 'sources', text: 'if (reply.status === 429) return again();', imports: [] },
      { path: 'alerts/planted-5xx.ts', area: 'alerts', text: 'if (failure.status >= 500 && maySendAgain(failure, true)) retry();', imports: [] },
      { path: 'pipeline/planted-poll.ts', area: 'pipeline', text: 'await retryLoop(async () => look(), limits);', imports: [] },
      { path: 'http/retry-decision.ts', area: 'http', text: "if (status !== 429) return { kind: 'wait' };", imports: [] },
      { path: 'sandbox/planted-fake.ts', area: 'sandbox', text: 'if (status === 429) wait();', imports: [] },
      { path: 'destinations/planted-client.ts', area: 'destinations', text: 'return retryLoop(async (n) => attemptResult(decideRetry(exchange, context, waits), read, wording), options);', imports: [] },
    ];
    expect(retryDecisionsOutsideHttp(planted)).toEqual([
      'destinations/planted-wait.ts decides a retry',
      'sources/planted-status.ts decides a retry',
      'alerts/planted-5xx.ts decides a retry',
      'pipeline/planted-poll.ts retries without decideRetry',
    ]);
  });
});

/**
 * Every way code outside src/store could reach the store's query builder: a member of the LedgerStore interface
 * that hands one out (a `db`, or anything typed Kysely), and an import of store/query-builder.ts from outside src/store.
 */
function queryBuilderOutsideStore(tree: readonly SourceFile[]): string[] {
  return tree.flatMap((file) => {
    const storeInterface = file.path === 'store/ledger-store.ts' ? /export interface LedgerStore\b[\s\S]*?\n\}/.exec(file.text)?.[0] : undefined;
    const handsOut = storeInterface !== undefined && /^\s*(?:readonly\s+)?db\b|\bKysely\s*</m.test(storeInterface) ? [`${file.path}: LedgerStore hands out a query builder`] : [];
    const imported = file.area === 'store' ? [] : file.imports.filter((target) => target === 'store/query-builder.js').map((target) => `${file.path} imports ${target}`);
    return [...handsOut, ...imported];
  });
}

describe('no db on the store', () => {
  it('the LedgerStore interface hands out no query builder, and nothing outside src/store imports the store\'s', () => {
    expect(files.some((file) => file.path === 'store/ledger-store.ts' && file.text.includes('export interface LedgerStore'))).toBe(true);
    expect(queryBuilderOutsideStore(files)).toEqual([]);
  });

  it('the rule catches a planted violation of each kind', () => {
    const planted: SourceFile[] = [
      { path: 'store/ledger-store.ts', area: 'store', text: 'export interface LedgerStore {\n  readonly db: Kysely<LedgerDatabase>;\n  readonly path: string;\n}', imports: [] },
      { path: 'pipeline/planted-builder.ts', area: 'pipeline', text: '', imports: ['store/query-builder.js'] },
      { path: 'store/allowed.ts', area: 'store', text: '', imports: ['store/query-builder.js'] },
    ];
    expect(queryBuilderOutsideStore(planted)).toEqual(['store/ledger-store.ts: LedgerStore hands out a query builder', 'pipeline/planted-builder.ts imports store/query-builder.js']);
  });
});

/**
 * The Ledger keeps its store: a stage that needs another repository is handed the LedgerStore (the CLI opens
 * both, the use cases' contexts carry both), so no code reaches the repositories through the journal.
 */
function ledgerHandsOutItsStore(tree: readonly SourceFile[]): string[] {
  return tree
    .filter((file) => file.path === 'ledger/ledger.ts')
    .flatMap((file) => (/constructor\((?!private readonly store\b)[^)]*\bstore: LedgerStore/.test(file.text) ? [`${file.path}: the Ledger hands out its store`] : []));
}

describe('the ledger keeps its store', () => {
  it('the Ledger takes its store privately', () => {
    expect(files.some((file) => file.path === 'ledger/ledger.ts' && file.text.includes('export class Ledger'))).toBe(true);
    expect(ledgerHandsOutItsStore(files)).toEqual([]);
  });

  it('the rule catches a planted public store', () => {
    const planted: SourceFile[] = [
      { path: 'ledger/ledger.ts', area: 'ledger', text: 'export class Ledger {\n  constructor(readonly store: LedgerStore) {}\n}', imports: [] },
      { path: 'ledger/other.ts', area: 'ledger', text: 'export class Other {\n  constructor(readonly store: LedgerStore) {}\n}', imports: [] },
    ];
    expect(ledgerHandsOutItsStore(planted)).toEqual(['ledger/ledger.ts: the Ledger hands out its store']);
  });
});
