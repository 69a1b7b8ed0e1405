import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { files, type SourceFile } from './source-tree.js';

/**
 * Issue 39, kinds as plug-ins: a kind's name is written, as a string, only in the folder that defines the kind
 * (its `*_KIND` constant and its wire); everything else reaches the kind through the registry
 * (src/pipeline/kinds), so a new kind is a folder and a registry line, never a case added in the middle.
 */
const KIND_HOMES: Readonly<Record<string, RegExp>> = {
  panel: /^sources\/panel\//,
  payelancer: /^sources\/payelancer\//,
};

/**
 * Files that still write a kind's name outside its home, each with why; the list only shrinks. The webhook
 * receiver reads the two vendors' webhook formats by kind (a kind brings no webhook format yet).
 */
const WRITES_A_KIND_NAME: readonly string[] = ['sources/webhooks/interpret-webhook.ts', 'pipeline/landing/stored-webhooks.ts'];

/** The kind names a file writes as string literals (in code: comments do not count), outside the kind's home. */
function kindNamesWritten(file: SourceFile): string[] {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.ES2022, true);
  const found = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) && Object.hasOwn(KIND_HOMES, node.text) && !KIND_HOMES[node.text]!.test(file.path)) found.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [...found];
}

function kindNamesOutsideTheirHomes(tree: readonly SourceFile[], listed: readonly string[]): string[] {
  const writing = tree.filter((file) => kindNamesWritten(file).length > 0);
  return [
    ...writing
      .filter((file) => !listed.includes(file.path))
      .map((file) => `${file.path} writes the kind name ${kindNamesWritten(file).map((name) => `"${name}"`).join(', ')}: reach the kind through its plug-in (src/pipeline/kinds)`),
    ...listed.filter((path) => !writing.some((file) => file.path === path)).map((path) => `${path} no longer writes a kind name: remove it from WRITES_A_KIND_NAME`),
  ];
}

describe("a kind's name is written only where the kind is defined", () => {
  it('no file of src/ outside a kind\'s folder writes its name, but for the listed ones', () => {
    expect(kindNamesOutsideTheirHomes(files, WRITES_A_KIND_NAME)).toEqual([]);
  });

  it('the rule catches a planted comparison and a planted case, leaves comments, other strings and the home folder alone, and asks for a stale line to go', () => {
    const planted: SourceFile[] = [
      { path: 'pipeline/sync/planted.ts', area: 'pipeline', text: "if (source.kind === 'panel') close();", imports: [] },
      { path: 'cli/planted-switch.ts', area: 'cli', text: "switch (kind) { case 'payelancer': break; }", imports: [] },
      { path: 'pipeline/reports/quiet.ts', area: 'pipeline', text: "// a 'panel' in a comment\nconst word = 'panelled';", imports: [] },
      { path: 'sources/panel/panel-config.ts', area: 'sources', text: "export const PANEL_KIND = 'panel';", imports: [] },
    ];
    expect(kindNamesOutsideTheirHomes(planted, ['pipeline/post/gone.ts'])).toEqual([
      'pipeline/sync/planted.ts writes the kind name "panel": reach the kind through its plug-in (src/pipeline/kinds)',
      'cli/planted-switch.ts writes the kind name "payelancer": reach the kind through its plug-in (src/pipeline/kinds)',
      'pipeline/post/gone.ts no longer writes a kind name: remove it from WRITES_A_KIND_NAME',
    ]);
  });
});
