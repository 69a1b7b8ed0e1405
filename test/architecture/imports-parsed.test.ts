import { describe, expect, it } from 'vitest';
import { parsed } from './source-tree.js';

/** The rules below read imports from the TypeScript AST, never from the text. */

describe('imports are read by the TypeScript parser', () => {
  it('every kind of import counts, and comments, strings and templates that only look like one do not', () => {
    const text = [
      "const glob = 'migrations/*.ts';",
      "import { sql } from 'kysely';",
      "/* import { Pool } from 'pg'; */",
      "// import PgBoss from 'pg-boss';",
      "const example = `import Database from 'better-sqlite3'`;",
      'const note = "export * from \'pg\'";',
      "import type { Money } from './money/index.js';",
      "export type { Entry } from './ledger/index.js';",
      "export * from './rules/index.js';",
      "const pg = require('pg');",
      "const boss = await import('pg-boss');",
      "type Row = import('./store/index.js').Row;",
      "const comment = '*/';",
    ].join('\n');
    const { imports, code } = parsed('planted.ts', text);
    expect(imports).toEqual([
      'kysely',
      './money/index.js',
      './ledger/index.js',
      './rules/index.js',
      'pg',
      'pg-boss',
      './store/index.js',
    ]);
    expect(code).toContain("const glob = 'migrations/*.ts';\nimport { sql } from 'kysely';");
    expect(code).not.toContain('Pool');
    expect(code).not.toContain('PgBoss');
  });
});
