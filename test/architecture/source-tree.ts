import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import ts from 'typescript';

/**
 * The layout is the architecture (STYLE.md): sources → ledger → rules →
 * destinations, the pipeline as the only place they meet, the CLI on top.
 * The tests in this folder keep the layout's rules true without anyone having to remember them; this
 * module reads src/ and the sandbox for them, once.
 */
export const root = resolve(import.meta.dirname, '..', '..');
export const srcDir = join(root, 'src');
const sandboxDir = join(root, 'sandbox');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

export interface SourceFile {
  path: string;
  area: string;
  text: string;
  imports: string[];
}

/** The module names a file loads: every import and `export … from` (type-only included), `import('…')`, `require('…')` and `import x = require('…')`. */
function moduleNames(source: ts.SourceFile): string[] {
  const names: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      names.push(node.moduleSpecifier.text);
    } else if (ts.isExternalModuleReference(node) && ts.isStringLiteral(node.expression)) {
      names.push(node.expression.text);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      names.push(node.argument.literal.text);
    } else if (
      ts.isCallExpression(node) &&
      isImportOrRequire(node.expression) &&
      node.arguments.length > 0 &&
      ts.isStringLiteralLike(node.arguments[0]!)
    ) {
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
    for (const range of [
      ...(ts.getLeadingCommentRanges(text, node.getFullStart()) ?? []),
      ...(ts.getTrailingCommentRanges(text, node.getEnd()) ?? []),
    ])
      ranges.set(range.pos, range.end);
    ts.forEachChild(node, collect);
  };
  collect(source);
  collect(source.endOfFileToken);
  // One pass over the ranges in order: slicing the whole text around each comment made a file of n comments cost n copies.
  const pieces: string[] = [];
  let from = 0;
  for (const [pos, end] of [...ranges].sort(([a], [b]) => a - b)) {
    if (pos < from) continue;
    pieces.push(text.slice(from, pos), text.slice(pos, end).replace(/[^\n]/g, ' '));
    from = end;
  }
  pieces.push(text.slice(from));
  return pieces.join('');
}

/** A file's imports and code as the TypeScript parser reads them (comments and strings cannot pass for either). */
export function parsed(path: string, text: string): { imports: string[]; code: string; source: ts.SourceFile } {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
  return { imports: moduleNames(source), code: withoutComments(source), source };
}

/**
 * The tree each file of src/ and the sandbox was read with, kept for the checks that walk every file's strings and
 * identifiers (comments are no nodes, so it holds what a parse of the blanked text would): parsing src/ once per
 * check took most of kind-names' 30 CPU-seconds.
 */
const syntaxTrees = new WeakMap<SourceFile, ts.SourceFile>();

/** The file's syntax tree: the one it was read with, or a parse of its text (a file a test plants). */
export function syntaxOf(file: SourceFile): ts.SourceFile {
  let tree = syntaxTrees.get(file);
  if (tree === undefined) {
    tree = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.ES2022, true);
    syntaxTrees.set(file, tree);
  }
  return tree;
}

/** Every .ts file under `dir`, its path and relative imports resolved against `dir` (so src/ files import "money/index.js"). */
function readTree(dir: string): SourceFile[] {
  return filesUnder(dir).map((path) => {
    // Comments may mention what the code must not do; only code counts.
    const { imports, code, source } = parsed(path, readFileSync(path, 'utf8'));
    const local = relative(dir, path);
    const file: SourceFile = {
      path: local,
      area: areaOf(local),
      text: code,
      imports: imports.map((specifier) =>
        specifier.startsWith('.') ? relative(dir, resolve(dirname(path), specifier)) : specifier,
      ),
    };
    syntaxTrees.set(file, source);
    return file;
  });
}

export const files = readTree(srcDir);
/** The sandbox beside src/: its imports of src/ read "../src/money/index.js". */
export const sandboxFiles = readTree(sandboxDir);

/** A path's area: its top folder of src/ (or errors), but a kind's own folder under src/kinds (`kinds/panel`), each kind an area of its own. */
export function areaOf(target: string): string {
  const parts = target.split('/');
  if (parts[0] === 'kinds' && parts.length > 2) return `kinds/${parts[1]}`;
  return parts.length > 1 ? parts[0]! : target.replace(/\.(js|ts)$/, '');
}

export function violations(check: (file: SourceFile, target: string) => string | undefined): string[] {
  return files.flatMap((file) => file.imports.flatMap((target) => check(file, target) ?? []));
}
