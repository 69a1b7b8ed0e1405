import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { files, type SourceFile } from './source-tree.js';

/**
 * Issue 39, kinds as plug-ins: a kind's name is written, as a string, only where the kind is defined (its own
 * folder, and its bundle in src/pipeline/kinds/); everything else reaches a kind through the registries, so a
 * new kind is a folder and a registry line, never a case added in the middle. Today's remaining places are
 * listed with their counts, which only come down.
 */
const KIND_HOMES: Readonly<Record<string, readonly RegExp[]>> = {
  panel: [/^sources\/panel\//],
  payelancer: [/^kinds\/payelancer\//],
  xero: [/^destinations\//, /^pipeline\/kinds\//],
  quickbooks: [/^destinations\//, /^pipeline\/kinds\//],
};

/**
 * Files that still write a kind's name outside its home, and how many times; lower a count (or remove the line)
 * as they go. Alerts sit below the pipeline and cannot ask the registry which services are destinations; the
 * demo posts to the Xero fake and exports the three CSV formats on purpose.
 */
const WRITES_A_KIND_NAME: Readonly<Record<string, number>> = {
  'alerts/next-step.ts': 2,
  'cli/commands/demo.ts': 3,
};

/** How many string literals in the file's code are exactly a kind's name outside that kind's home: comments and longer strings do not count. */
function kindNamesIn(file: SourceFile): number {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.ES2022, true);
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
        path: 'sources/panel/panel-config.ts',
        area: 'sources',
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
