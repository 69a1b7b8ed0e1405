import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { files, type SourceFile } from './source-tree.js';

/**
 * Issue 39, destinations as plug-ins: a kind of destination is named in its own code (src/destinations/) and in
 * its bundle (src/pipeline/kinds/); everything else asks the registry for the kinds with a capability. So the
 * names `'xero'` and `'quickbooks'` as string literals (a value or a literal type) appear nowhere else, but for
 * today's remaining places below, each with its count, which only comes down.
 */
const MAY_NAME_A_DESTINATION = [/^destinations\//, /^pipeline\/kinds\//];

const DESTINATION_NAMES = ['xero', 'quickbooks'];

/** Files that still name a destination, and how many times; lower a count (or remove the line) as they go. */
const NAMES_A_DESTINATION: Readonly<Record<string, number>> = {
  'alerts/next-step.ts': 2,
  'cli/commands/demo.ts': 3,
};

/** How many string literals in the file's code are exactly a destination's name: comments and longer strings do not count. */
function destinationNamesIn(file: SourceFile): number {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.ES2022, true);
  let count = 0;
  const visit = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && DESTINATION_NAMES.includes(node.text)) count += 1;
    ts.forEachChild(node, visit);
  };
  visit(source);
  return count;
}

/** Each file over its count (or not listed), each under it (lower it), each listed file that is gone. */
function destinationNamesOutsideTheKinds(tree: readonly SourceFile[], listed: Readonly<Record<string, number>>): string[] {
  const counts = new Map(tree.filter((file) => !MAY_NAME_A_DESTINATION.some((allowed) => allowed.test(file.path))).map((file) => [file.path, destinationNamesIn(file)]));
  const problems: string[] = [];
  for (const [path, count] of counts) {
    const ceiling = listed[path] ?? 0;
    if (count > ceiling) problems.push(`${path} names a destination ${count} times, over its ${ceiling}: ask the destination kinds (src/pipeline/kinds) instead`);
    else if (count < ceiling) problems.push(`${path} names a destination ${count} times: lower its line in NAMES_A_DESTINATION to ${count}${count === 0 ? ' (remove it)' : ''}`);
  }
  for (const path of Object.keys(listed)) if (!counts.has(path)) problems.push(`${path} is gone: remove it from NAMES_A_DESTINATION`);
  return problems;
}

describe("'xero' and 'quickbooks' are named only by the destinations and their kinds", () => {
  it('no other file in src/ names them, but for the listed ones at their counts', () => {
    expect(files.filter((file) => destinationNamesIn(file) > 0).length).toBeGreaterThan(Object.keys(NAMES_A_DESTINATION).length);
    expect(destinationNamesOutsideTheKinds(files, NAMES_A_DESTINATION)).toEqual([]);
  });

  it('the rule catches a planted name, leaves comments, longer strings and the allowed folders alone, and asks for a count to come down', () => {
    const planted: SourceFile[] = [
      { path: 'cli/commands/planted.ts', area: 'cli', text: "export const to = format === 'xero' ? 1 : 2;", imports: [] },
      { path: 'pipeline/post/planted-type.ts', area: 'pipeline', text: "export type To = 'quickbooks';", imports: [] },
      { path: 'cli/allowed-text.ts', area: 'cli', text: "// 'xero'\nexport const said = 'posted to xero';", imports: [] },
      { path: 'pipeline/kinds/destinations/planted.ts', area: 'pipeline', text: "export const name = 'xero';", imports: [] },
      { path: 'destinations/xero/planted.ts', area: 'destinations', text: "export const name = 'xero';", imports: [] },
      { path: 'cli/commands/shrunk.ts', area: 'cli', text: "export const to = 'xero';", imports: [] },
    ];
    expect(destinationNamesOutsideTheKinds(planted, { 'cli/commands/shrunk.ts': 2, 'cli/gone.ts': 1 })).toEqual([
      "cli/commands/planted.ts names a destination 1 times, over its 0: ask the destination kinds (src/pipeline/kinds) instead",
      "pipeline/post/planted-type.ts names a destination 1 times, over its 0: ask the destination kinds (src/pipeline/kinds) instead",
      'cli/commands/shrunk.ts names a destination 1 times: lower its line in NAMES_A_DESTINATION to 1',
      'cli/gone.ts is gone: remove it from NAMES_A_DESTINATION',
    ]);
  });
});
