import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { files, syntaxOf, type SourceFile } from './source-tree.js';
import { sourceKinds } from '../../src/pipeline/kinds/index.js';

/**
 * Issue 39, kinds as plug-ins: a kind's name is written, as a string, only where the kind is defined (its own
 * folder, src/kinds/<kind>/ or src/sources/<kind>/, and its bundle in src/pipeline/kinds/); everything else reaches a kind through the registries, so a
 * new kind is a folder and a registry line, never a case added in the middle. Today's remaining places are
 * listed with their counts, which only come down.
 */
const KIND_HOMES: Readonly<Record<string, readonly RegExp[]>> = {
  panel: [/^kinds\/panel\//],
  payelancer: [/^kinds\/payelancer\//],
  'bank-statement': [/^kinds\/bank-statement\//],
  xero: [/^destinations\//, /^pipeline\/kinds\//],
  quickbooks: [/^destinations\//, /^pipeline\/kinds\//],
};

/**
 * Files that still write a kind's name outside its home, and how many times; lower a count (or remove the line)
 * as they go. The demo posts to the Xero fake and exports the three CSV formats on purpose.
 */
const WRITES_A_KIND_NAME: Readonly<Record<string, number>> = {
  'cli/commands/demo.ts': 3,
};

/** How many string literals in the file's code are exactly a kind's name outside that kind's home: comments and longer strings do not count. */
function kindNamesIn(file: SourceFile): number {
  const source = syntaxOf(file);
  let count = 0;
  const visit = (node: ts.Node): void => {
    if (
      ts.isStringLiteralLike(node) &&
      Object.hasOwn(KIND_HOMES, node.text) &&
      !KIND_HOMES[node.text]!.some((home) => home.test(file.path))
    )
      count += 1;
    ts.forEachChild(node, visit);
  };
  visit(source);
  return count;
}

/** Each file over its count (or not listed), each under it (lower it), each listed file that is gone. */
function kindNamesOutsideTheirHomes(tree: readonly SourceFile[], listed: Readonly<Record<string, number>>): string[] {
  const counts = new Map(tree.map((file) => [file.path, kindNamesIn(file)]));
  const problems: string[] = [];
  for (const [path, count] of counts) {
    const ceiling = listed[path] ?? 0;
    if (count > ceiling)
      problems.push(
        `${path} writes a kind's name ${count} times, over its ${ceiling}: reach the kind through its registry (src/pipeline/kinds)`,
      );
    else if (count < ceiling)
      problems.push(
        `${path} writes a kind's name ${count} times: lower its line in WRITES_A_KIND_NAME to ${count}${count === 0 ? ' (remove it)' : ''}`,
      );
  }
  for (const path of Object.keys(listed))
    if (!counts.has(path)) problems.push(`${path} is gone: remove it from WRITES_A_KIND_NAME`);
  return problems;
}

/**
 * Issue 53 item 2, the pipeline names no kind, by literal or by constant: an identifier spelled with a built-in
 * source kind's name (PANEL_KIND, PANEL_PREPAID_ACCOUNT, PAYELANCER_RECEIVABLE_ACCOUNT, BANK_STATEMENT_KIND)
 * is written only in src/kinds/ and the registry.
 */
const KIND_IDENTIFIER = /PANEL|PAYELANCER|BANK_STATEMENT/;
const IDENTIFIER_HOMES: readonly RegExp[] = [/^kinds\//, /^pipeline\/kinds\/source-kinds\.ts$/];

/**
 * Files outside those homes that still write such an identifier, and how many times; lower a count (or remove
 * the line) as they go, never raise one. The kinds declare their balance accounts in their folders (the reports,
 * the plain-text export and reconcile ask the registry); the sandbox command names the panel fake's flavours.
 */
const WRITES_A_KIND_IDENTIFIER: Readonly<Record<string, number>> = {
  'cli/commands/sandbox.ts': 3,
};

/** How many identifiers in the file's code are spelled with a built-in kind's name, outside src/kinds/ and the registry. */
function kindIdentifiersIn(file: SourceFile): number {
  if (IDENTIFIER_HOMES.some((home) => home.test(file.path))) return 0;
  const source = syntaxOf(file);
  let count = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && KIND_IDENTIFIER.test(node.text)) count += 1;
    ts.forEachChild(node, visit);
  };
  visit(source);
  return count;
}

/** Each file over its count (or not listed), each under it (lower it), each listed file that is gone. */
function kindIdentifiersOutsideTheKinds(
  tree: readonly SourceFile[],
  listed: Readonly<Record<string, number>>,
): string[] {
  const counts = new Map(tree.map((file) => [file.path, kindIdentifiersIn(file)]));
  const problems: string[] = [];
  for (const [path, count] of counts) {
    const ceiling = listed[path] ?? 0;
    if (count > ceiling)
      problems.push(
        `${path} names a kind by identifier ${count} times, over its ${ceiling}: ask the kind (sourceKinds.of(source)) instead`,
      );
    else if (count < ceiling)
      problems.push(
        `${path} names a kind by identifier ${count} times: lower its line in WRITES_A_KIND_IDENTIFIER to ${count}${count === 0 ? ' (remove it)' : ''}`,
      );
  }
  for (const path of Object.keys(listed))
    if (!counts.has(path)) problems.push(`${path} is gone: remove it from WRITES_A_KIND_IDENTIFIER`);
  return problems;
}

describe('the pipeline names no kind by constant either', () => {
  it('no file of src/ outside src/kinds and the registry writes a kind identifier, but for the listed ones at their counts', () => {
    expect(kindIdentifiersOutsideTheKinds(files, WRITES_A_KIND_IDENTIFIER)).toEqual([]);
  });

  it('the rule catches a planted constant, import and account, leaves src/kinds, the registry and comments alone, and asks for a count to come down', () => {
    const planted: SourceFile[] = [
      {
        path: 'pipeline/sync/planted.ts',
        area: 'pipeline',
        text: "import { PANEL_KIND } from '../../kinds/panel/panel-config.js';\nif (source.kind === PANEL_KIND) close();",
        imports: ['kinds/panel/panel-config.js'],
      },
      {
        path: 'pipeline/reports/planted.ts',
        area: 'pipeline',
        text: '// PANEL_PREPAID_ACCOUNT in a comment\nconst booked = balanceOf(PAYELANCER_RECEIVABLE_ACCOUNT);',
        imports: [],
      },
      {
        path: 'kinds/panel/panel-config.ts',
        area: 'kinds/panel',
        text: "export const PANEL_KIND = 'panel';",
        imports: [],
      },
      {
        path: 'pipeline/kinds/source-kinds.ts',
        area: 'pipeline',
        text: 'registerSourceKind(PANEL_SOURCE_KIND);',
        imports: [],
      },
      { path: 'cli/quiet.ts', area: 'cli', text: 'const panelKind = asPanelSource(source);', imports: [] },
      { path: 'cli/shrunk.ts', area: 'cli', text: 'export const to = BANK_STATEMENT_KIND;', imports: [] },
    ];
    expect(kindIdentifiersOutsideTheKinds(planted, { 'cli/shrunk.ts': 2, 'cli/gone.ts': 1 })).toEqual([
      'pipeline/sync/planted.ts names a kind by identifier 2 times, over its 0: ask the kind (sourceKinds.of(source)) instead',
      'pipeline/reports/planted.ts names a kind by identifier 1 times, over its 0: ask the kind (sourceKinds.of(source)) instead',
      'cli/shrunk.ts names a kind by identifier 1 times: lower its line in WRITES_A_KIND_IDENTIFIER to 1',
      'cli/gone.ts is gone: remove it from WRITES_A_KIND_IDENTIFIER',
    ]);
  });
});

describe("a kind's name is written only where the kind is defined", () => {
  it('no file of src/ writes a kind name outside its home, but for the listed ones at their counts', () => {
    expect(kindNamesOutsideTheirHomes(files, WRITES_A_KIND_NAME)).toEqual([]);
  });

  it('the rule catches a planted comparison, case and literal type, leaves comments, longer strings and the homes alone, and asks for a count to come down', () => {
    const planted: SourceFile[] = [
      {
        path: 'pipeline/sync/planted.ts',
        area: 'pipeline',
        text: "if (source.kind === 'panel') close();",
        imports: [],
      },
      { path: 'cli/planted-switch.ts', area: 'cli', text: "switch (kind) { case 'payelancer': break; }", imports: [] },
      { path: 'pipeline/post/planted-type.ts', area: 'pipeline', text: "export type To = 'quickbooks';", imports: [] },
      {
        path: 'pipeline/reports/quiet.ts',
        area: 'pipeline',
        text: "// a 'panel' in a comment\nconst word = 'panelled';\nconst said = 'posted to xero';",
        imports: [],
      },
      {
        path: 'kinds/panel/panel-config.ts',
        area: 'kinds/panel',
        text: "export const PANEL_KIND = 'panel';",
        imports: [],
      },
      {
        path: 'pipeline/kinds/destinations/xero.ts',
        area: 'pipeline',
        text: "export const name = 'xero';",
        imports: [],
      },
      { path: 'cli/commands/shrunk.ts', area: 'cli', text: "export const to = 'xero';", imports: [] },
    ];
    expect(kindNamesOutsideTheirHomes(planted, { 'cli/commands/shrunk.ts': 2, 'cli/gone.ts': 1 })).toEqual([
      "pipeline/sync/planted.ts writes a kind's name 1 times, over its 0: reach the kind through its registry (src/pipeline/kinds)",
      "cli/planted-switch.ts writes a kind's name 1 times, over its 0: reach the kind through its registry (src/pipeline/kinds)",
      "pipeline/post/planted-type.ts writes a kind's name 1 times, over its 0: reach the kind through its registry (src/pipeline/kinds)",
      "cli/commands/shrunk.ts writes a kind's name 1 times: lower its line in WRITES_A_KIND_NAME to 1",
      'cli/gone.ts is gone: remove it from WRITES_A_KIND_NAME',
    ]);
  });
});

/**
 * Issue 71's must-show: the middle of the house (src/pipeline but its registries in src/pipeline/kinds/,
 * src/rules, src/store and src/reads) writes no kind's name and imports nothing of src/kinds: a kind's own
 * repositories live in its folder (src/kinds/<kind>/books/), and only the registry reaches a kind.
 */
const THE_MIDDLE = /^(pipeline|rules|store|reads)\//;
const THE_REGISTRIES = /^pipeline\/kinds\//;

/** Each file of the middle that writes a kind's name, and each import of a kind from it. */
function kindsInTheMiddle(tree: readonly SourceFile[]): string[] {
  return tree
    .filter((file) => THE_MIDDLE.test(file.path) && !THE_REGISTRIES.test(file.path))
    .flatMap((file) => {
      const names = kindNamesIn(file);
      return [
        ...(names > 0 ? [`${file.path} writes a kind's name ${names} times`] : []),
        ...file.imports
          .filter((target) => target.startsWith('kinds/'))
          .map((target) => `${file.path} imports ${target}`),
      ];
    });
}

describe('the middle of the house names no kind and imports none (issue 71)', () => {
  it('no file of src/pipeline (but the registries), src/rules, src/store or src/reads writes a kind name or imports src/kinds', () => {
    expect(files.some((file) => file.path === 'pipeline/kinds/source-kinds.ts')).toBe(true);
    expect(kindsInTheMiddle(files)).toEqual([]);
  });

  it('the rule catches a planted name and import in each part of the middle, and leaves the registries, the CLI and comments alone', () => {
    const planted: SourceFile[] = [
      {
        path: 'pipeline/sync/planted.ts',
        area: 'pipeline',
        text: "if (source.kind === 'panel') close();",
        imports: ['kinds/panel/index.js'],
      },
      { path: 'rules/planted.ts', area: 'rules', text: '', imports: ['kinds/panel/rules/order-ledger-state.js'] },
      { path: 'store/planted.ts', area: 'store', text: '', imports: ['kinds/panel/books/panel-books.js'] },
      { path: 'reads/planted.ts', area: 'reads', text: "const to = 'xero';", imports: [] },
      {
        path: 'pipeline/kinds/source-kinds.ts',
        area: 'pipeline',
        text: "const name = 'xero';",
        imports: ['kinds/panel/index.js'],
      },
      {
        path: 'cli/commands/allowed.ts',
        area: 'cli',
        text: "const kind = 'panel';",
        imports: ['kinds/panel/index.js'],
      },
      { path: 'rules/quiet.ts', area: 'rules', text: "// the 'panel' in a comment", imports: [] },
    ];
    expect(kindsInTheMiddle(planted)).toEqual([
      "pipeline/sync/planted.ts writes a kind's name 1 times",
      'pipeline/sync/planted.ts imports kinds/panel/index.js',
      'rules/planted.ts imports kinds/panel/rules/order-ledger-state.js',
      'store/planted.ts imports kinds/panel/books/panel-books.js',
      "reads/planted.ts writes a kind's name 1 times",
    ]);
  });
});

/**
 * Issue 71, the kinds' words: a finding kind a registered kind declares (its closes' findings, its reconcile items:
 * `balance_fall`, `order_stuck_open`) is written as a string only by its kind; the middle reaches it through the
 * registry (findingWords, settledFindings, reconcileItems), never by testing or building it itself.
 */
function findingKindsInTheMiddle(tree: readonly SourceFile[], findingKinds: readonly string[]): string[] {
  const declared = new Set(findingKinds);
  return tree
    .filter((file) => THE_MIDDLE.test(file.path) && !THE_REGISTRIES.test(file.path))
    .flatMap((file) => {
      const found: string[] = [];
      const visit = (node: ts.Node): void => {
        if (ts.isStringLiteralLike(node) && declared.has(node.text)) found.push(node.text);
        ts.forEachChild(node, visit);
      };
      visit(syntaxOf(file));
      return found.map((kind) => `${file.path} writes the finding kind '${kind}'`);
    });
}

describe("the middle of the house names no kind's finding either: the kinds declare them (issue 71)", () => {
  it('no file of src/pipeline (but the registries), src/rules, src/store or src/reads writes a finding kind a registered kind declares', () => {
    const findingKinds = Object.keys(sourceKinds.findingWords());
    expect(findingKinds).toEqual(expect.arrayContaining(['balance_fall', 'balance_mismatch', 'order_stuck_open']));
    expect(findingKindsInTheMiddle(files, findingKinds)).toEqual([]);
  });

  it("the rule catches a planted test of a finding kind and a planted item of one, and leaves the registries, a kind's folder, longer strings and comments alone", () => {
    const planted: SourceFile[] = [
      {
        path: 'reads/planted.ts',
        area: 'reads',
        text: "if (finding.kind === 'balance_fall') explain();\nconst said = 'a balance_fall of 0.45';",
        imports: [],
      },
      { path: 'pipeline/status/planted.ts', area: 'pipeline', text: "const kind = 'order_stuck_open';", imports: [] },
      {
        path: 'pipeline/kinds/source-kinds.ts',
        area: 'pipeline',
        text: "const settled = ['balance_fall'];",
        imports: [],
      },
      { path: 'kinds/panel/panel-vocabulary.ts', area: 'kinds/panel', text: "const k = 'balance_fall';", imports: [] },
      { path: 'store/quiet.ts', area: 'store', text: "// settles 'balance_fall'", imports: [] },
    ];
    expect(findingKindsInTheMiddle(planted, ['balance_fall', 'order_stuck_open'])).toEqual([
      "reads/planted.ts writes the finding kind 'balance_fall'",
      "pipeline/status/planted.ts writes the finding kind 'order_stuck_open'",
    ]);
  });
});

/**
 * The panel's own tables, which its books (src/kinds/panel/books/) query; the generic store names them only in the
 * list of every table a move copies (ledger-copy-tables.ts), never in a query.
 */
const PANEL_TABLES = [
  'orders',
  'add_requests',
  'add_outcomes',
  'order_corrections',
  'order_states_by_close',
  'panel_balance_by_close',
];
const EVERY_TABLE_LISTED = /^store\/ledger-copy-tables\.ts$/;

/** Each file of src/store that writes, as a string, a panel table or a finding kind a registered kind declares. */
function panelWordsInTheStore(tree: readonly SourceFile[], findingKinds: readonly string[]): string[] {
  const words = new Set([...PANEL_TABLES, ...findingKinds]);
  return tree
    .filter((file) => file.path.startsWith('store/') && !EVERY_TABLE_LISTED.test(file.path))
    .flatMap((file) => {
      const found: string[] = [];
      const visit = (node: ts.Node): void => {
        if (ts.isStringLiteralLike(node) && words.has(node.text)) found.push(node.text);
        ts.forEachChild(node, visit);
      };
      visit(syntaxOf(file));
      return found.map((word) => `${file.path} writes '${word}'`);
    });
}

describe("the generic store names no panel table or finding kind (issue 71): the kinds' books and declarations say them", () => {
  it('no file of src/store but the copied tables list writes a panel table or a declared finding kind', () => {
    const findingKinds = Object.keys(sourceKinds.findingWords());
    expect(findingKinds).toEqual(expect.arrayContaining(['balance_rise', 'balance_fall']));
    expect(panelWordsInTheStore(files, findingKinds)).toEqual([]);
  });

  it("the rule catches a planted query of the panel's orders and a planted finding kind, and leaves the copied tables list alone", () => {
    const planted: SourceFile[] = [
      {
        path: 'store/planted.ts',
        area: 'store',
        text: "db.selectFrom('orders').where('kind', '=', 'balance_rise');",
        imports: [],
      },
      { path: 'store/ledger-copy-tables.ts', area: 'store', text: "const tables = ['orders'];", imports: [] },
      { path: 'kinds/panel/books/orders.ts', area: 'kinds/panel', text: "db.selectFrom('orders');", imports: [] },
    ];
    expect(panelWordsInTheStore(planted, ['balance_rise'])).toEqual([
      "store/planted.ts writes 'orders'",
      "store/planted.ts writes 'balance_rise'",
    ]);
  });
});

/**
 * Issue 85 item 4, a kind's own command comes from its folder: every command a registered kind brings is named (as a
 * string, where it is declared) only in src/kinds/, so the CLI's table reaches it through the registry.
 */
function kindCommandsNamedOutsideTheKinds(tree: readonly SourceFile[], commands: readonly string[]): string[] {
  return tree
    .filter((file) => !file.path.startsWith('kinds/'))
    .flatMap((file) => {
      const found: string[] = [];
      const visit = (node: ts.Node): void => {
        if (ts.isStringLiteralLike(node) && commands.includes(node.text)) found.push(node.text);
        ts.forEachChild(node, visit);
      };
      visit(syntaxOf(file));
      return found.map((command) => `${file.path} names the command '${command}' of a kind`);
    });
}

describe("a kind's own command comes from its folder through the registry (issue 85)", () => {
  it("no file of src/ outside src/kinds names a registered kind's command", () => {
    const commands = sourceKinds.commands().map((command) => command.name);
    expect(commands).toContain('panel-proxy');
    expect(kindCommandsNamedOutsideTheKinds(files, commands)).toEqual([]);
  });

  it("the rule catches a planted command table line, and leaves the kind's folder and longer strings alone", () => {
    const planted: SourceFile[] = [
      {
        path: 'cli/command-summaries.ts',
        area: 'cli',
        text: "const summaries = { 'panel-proxy': 'a pass-through' }; const holder = 'panel-proxy --source x';",
        imports: [],
      },
      { path: 'kinds/panel/index.ts', area: 'kinds/panel', text: "const name = 'panel-proxy';", imports: [] },
    ];
    expect(kindCommandsNamedOutsideTheKinds(planted, ['panel-proxy'])).toEqual([
      "cli/command-summaries.ts names the command 'panel-proxy' of a kind",
    ]);
  });
});
