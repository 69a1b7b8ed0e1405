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
