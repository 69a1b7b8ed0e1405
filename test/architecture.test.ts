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

/** Every .ts file under `dir`, its path and relative imports resolved against `dir` (so src/ files import "money/index.js"). */
function readTree(dir: string): SourceFile[] {
  return filesUnder(dir).map((path) => {
    // Comments may mention what the code must not do; only code counts.
    const text = readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    const imports = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/g)].map((match) => {
      const specifier = (match[1] ?? match[2])!;
      return specifier.startsWith('.') ? relative(dir, resolve(dirname(path), specifier)) : specifier;
    });
    const local = relative(dir, path);
    const area = local.includes('/') ? local.split('/')[0]! : local.replace(/\.ts$/, '');
    return { path: local, area, text, imports };
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
