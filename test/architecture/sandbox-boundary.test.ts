import { describe, expect, it } from 'vitest';
import { files, sandboxFiles, type SourceFile } from './source-tree.js';

/** The sandbox stays beside src/: reached from two commands through its index.ts, importing only leaves and public indexes. */

/** The CLI commands that start the sandbox: the only files in src/ that may import it, and only its index.ts. */
const SANDBOX_STARTERS = ['cli/commands/sandbox.ts', 'cli/commands/demo.ts'];
/** src/ as the sandbox sees it: the shared leaves, and each stage's and kind's public index.ts (never the pipeline, CLI or scheduler). */
function sandboxMayImport(target: string): boolean {
  if (!target.startsWith('..')) return true;
  if (!target.startsWith('../src/')) return false;
  const inSrc = target.slice('../src/'.length);
  if (inSrc === 'errors.js') return true;
  const [area, file, ...deeper] = inSrc.split('/');
  // A kind's index.ts (src/kinds/<kind>/index.js) is its public face, as a stage's is.
  if (area === 'kinds') return deeper.length === 1 && deeper[0] === 'index.js';
  return file === 'index.js' && deeper.length === 0 && !['pipeline', 'cli', 'scheduler'].includes(area!);
}

/** Every import across the line between src/ and the sandbox that the layout does not allow. */
function sandboxBoundary(srcTree: readonly SourceFile[], sandboxTree: readonly SourceFile[]): string[] {
  return [
    ...srcTree.flatMap((file) =>
      file.imports
        .filter(
          (target) =>
            target.startsWith('../sandbox/') &&
            !(SANDBOX_STARTERS.includes(file.path) && target === '../sandbox/index.js'),
        )
        .map((target) => `src/${file.path} imports ${target}`),
    ),
    ...sandboxTree.flatMap((file) =>
      file.imports
        .filter((target) => !sandboxMayImport(target))
        .map((target) => `sandbox/${file.path} imports ${target}`),
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
      {
        path: 'cli/commands/sandbox.ts',
        area: 'cli',
        text: '',
        imports: ['../sandbox/index.js', '../sandbox/panel-flavours.js'],
      },
      { path: 'cli/commands/demo.ts', area: 'cli', text: '', imports: ['../sandbox/index.js'] },
    ];
    const plantedSandbox: SourceFile[] = [
      {
        path: 'planted-internal.ts',
        area: 'planted-internal',
        text: '',
        imports: ['../src/destinations/quickbooks/quickbooks-client.js'],
      },
      { path: 'planted-pipeline.ts', area: 'planted-pipeline', text: '', imports: ['../src/pipeline/index.js'] },
      { path: 'planted-outside.ts', area: 'planted-outside', text: '', imports: ['../test/sandbox/sandbox-http.js'] },
      { path: 'planted-kind.ts', area: 'planted-kind', text: '', imports: ['../src/kinds/panel/panel-wire.js'] },
      {
        path: 'quickbooks/allowed.ts',
        area: 'quickbooks',
        text: '',
        imports: [
          '../src/money/index.js',
          '../src/errors.js',
          '../src/rules/index.js',
          '../src/kinds/panel/index.js',
          'fake-kit/index.js',
          'node:http',
        ],
      },
    ];
    expect(sandboxBoundary(plantedSrc, plantedSandbox)).toEqual([
      'src/sources/planted-clock.ts imports ../sandbox/index.js',
      'src/cli/commands/sandbox.ts imports ../sandbox/panel-flavours.js',
      'sandbox/planted-internal.ts imports ../src/destinations/quickbooks/quickbooks-client.js',
      'sandbox/planted-pipeline.ts imports ../src/pipeline/index.js',
      'sandbox/planted-outside.ts imports ../test/sandbox/sandbox-http.js',
      'sandbox/planted-kind.ts imports ../src/kinds/panel/panel-wire.js',
    ]);
  });
});
