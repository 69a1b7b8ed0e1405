import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');

/**
 * Issue 53 item 5: the use cases the unit tier runs over in-memory port doubles (test/support/*-double.ts) open no
 * ledger. The files are those vitest.config.ts lists under its "Use cases over in-memory port doubles" comment in the
 * UNIT list; none may import an opener of real books: the engines' helper, the composition root's test door
 * (test/support/books.ts), the SQLite and table doors beneath the ports, the PostgreSQL server, src/store or
 * src/app, directly or through the test helpers they load (a fixture that loads books.ts opens books too).
 * (The rest of the unit tier, the store's SQLite files and the journal's own tests, opens a
 * SQLite file by design: there the SQL is the subject.)
 */
const SECTION = '// Use cases over in-memory port doubles';
const OPENERS = [
  /^test\/support\/ledger-engines(\.js)?$/,
  /^test\/support\/books(\.js)?$/,
  /^test\/support\/sqlite-file(\.js)?$/,
  /^test\/support\/ledger-tables(\.js)?$/,
  /^test\/support\/postgres-server(\.js)?$/,
  /^src\/store\//,
  /^src\/app\//,
];

/** A module a file loads: `import … from '…'`, `export … from '…'`, `import('…')`. */
const LOADS = /\bfrom\s+'([^']+)'|\bimport\s*\(\s*'([^']+)'\s*\)|^import\s+'([^']+)'/gm;

interface TestFile {
  path: string;
  imports: string[];
}

/** The files vitest.config.ts lists in the doubles' section of UNIT: from its comment to the next comment or the list's end. */
function filesOnDoubles(config: string): string[] {
  const start = config.indexOf(SECTION);
  if (start < 0) return [];
  const lines = config.slice(start).split('\n').slice(1);
  const end = lines.findIndex((line) => line.trim().startsWith('//') || line.trim().startsWith(']'));
  return lines
    .slice(0, end)
    .map((line) => /'([^']+)'/.exec(line)?.[1] ?? '')
    .filter((path) => path !== '');
}

/** The modules a file loads, as repository paths (a relative specifier resolved), bare specifiers as written. */
function read(path: string): TestFile {
  return {
    path,
    imports: [...readFileSync(resolve(root, path), 'utf8').matchAll(LOADS)]
      .map((match) => match[1] ?? match[2] ?? match[3]!)
      .map((specifier) =>
        specifier.startsWith('.') ? relative(root, resolve(root, dirname(path), specifier)) : specifier,
      ),
  };
}

/**
 * A helper of the tests a file loads (`x.js` is the `x.ts` beside it), read; undefined for anything else. src/ and the
 * sandbox are the subject's own graph, whose layers test/architecture/layers.test.ts keeps: only test/ is followed.
 */
function loadFromDisk(target: string): TestFile | undefined {
  if (!target.startsWith('test/')) return undefined;
  const file = [target.replace(/\.js$/, '.ts'), `${target}.ts`, target].find(
    (candidate) => /\.(ts|mts)$/.test(candidate) && existsSync(resolve(root, candidate)),
  );
  return file === undefined ? undefined : read(file);
}

/**
 * Every opener each file reaches, directly or through the test helpers it loads (fixtures, harnesses, and theirs), with
 * the helpers that lead there: a fixture that opens books is as much an opener as books.ts.
 */
function ledgerOpeners(
  files: readonly TestFile[],
  load: (target: string) => TestFile | undefined = loadFromDisk,
): string[] {
  return files.flatMap((file) => {
    const problems: string[] = [];
    const seen = new Set<string>([file.path]);
    const queue: { module: TestFile; through: string[] }[] = [{ module: file, through: [] }];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      for (const target of next.module.imports) {
        if (OPENERS.some((opener) => opener.test(target))) {
          const via = next.through.length === 0 ? '' : ` (through ${next.through.join(' → ')})`;
          problems.push(
            `${file.path} imports ${target}${via}: a unit-tier use case runs over test/support/*-double.ts`,
          );
          continue;
        }
        const module = seen.has(target) ? undefined : load(target);
        seen.add(target);
        if (module !== undefined) queue.push({ module, through: [...next.through, module.path] });
      }
    }
    return problems;
  });
}

describe('the unit tier runs use cases over in-memory doubles of the ports', () => {
  it("no file in the unit tier's doubles section opens a ledger", () => {
    const files = filesOnDoubles(readFileSync(resolve(root, 'vitest.config.ts'), 'utf8'));
    expect(files).toContain('test/pipeline/runs/recorded-result.test.ts');
    expect(files.every((path) => !path.includes('*'))).toBe(true);
    expect(ledgerOpeners(files.map(read))).toEqual([]);
  });

  it('the rule reads the section and catches a planted opener of each kind, leaving the doubles alone', () => {
    const config = `const UNIT = [\n  ${SECTION}.\n  'test/pipeline/a.test.ts',\n  'test/pipeline/b.test.ts',\n  // next\n  'test/store/c.test.ts',\n];`;
    expect(filesOnDoubles(config)).toEqual(['test/pipeline/a.test.ts', 'test/pipeline/b.test.ts']);
    const planted: TestFile[] = [
      { path: 'test/pipeline/a.test.ts', imports: ['test/support/ledger-engines.js', 'test/support/temp-dir.js'] },
      { path: 'test/pipeline/b.test.ts', imports: ['test/support/books.js', 'src/store/index.js'] },
      { path: 'test/pipeline/c.test.ts', imports: ['src/app/index.js', 'test/support/sqlite-file.js'] },
      {
        path: 'test/pipeline/d.test.ts',
        imports: ['test/support/run-records-double.js', 'src/pipeline/runs/index.js'],
      },
    ];
    expect(ledgerOpeners(planted).map((problem) => problem.split(':')[0])).toEqual([
      'test/pipeline/a.test.ts imports test/support/ledger-engines.js',
      'test/pipeline/b.test.ts imports test/support/books.js',
      'test/pipeline/b.test.ts imports src/store/index.js',
      'test/pipeline/c.test.ts imports src/app/index.js',
      'test/pipeline/c.test.ts imports test/support/sqlite-file.js',
    ]);
  });

  it('follows the test helpers a file loads, however deep (cycles included), and names the helpers on the way', () => {
    const helpers = new Map<string, TestFile>([
      ['test/pipeline/fixtures.js', { path: 'test/pipeline/fixtures.ts', imports: ['test/pipeline/deeper.js'] }],
      [
        'test/pipeline/deeper.js',
        { path: 'test/pipeline/deeper.ts', imports: ['test/pipeline/fixtures.js', 'test/support/books.js'] },
      ],
      ['test/pipeline/pure.js', { path: 'test/pipeline/pure.ts', imports: ['test/support/temp-dir.js', 'vitest'] }],
    ]);
    const planted = {
      path: 'test/pipeline/e.test.ts',
      imports: ['test/pipeline/fixtures.js', 'test/pipeline/pure.js'],
    };
    expect(ledgerOpeners([planted], (target) => helpers.get(target))).toEqual([
      'test/pipeline/e.test.ts imports test/support/books.js (through test/pipeline/fixtures.ts → test/pipeline/deeper.ts): ' +
        'a unit-tier use case runs over test/support/*-double.ts',
    ]);
    expect(
      ledgerOpeners([{ ...planted, imports: ['test/pipeline/pure.js'] }], (target) => helpers.get(target)),
    ).toEqual([]);
  });
});
