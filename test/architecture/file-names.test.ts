import { describe, expect, it } from 'vitest';
import { files, type SourceFile } from './source-tree.js';

/**
 * One concept, one file name (issue 85: at most 10 file names in two folders): a name in two folders is a concept
 * split in halves, or two concepts under one name. An alarm, not a goal: the list is what still stands in two
 * folders (each moved by its books this round), and it may only shrink. index.ts is every folder's door, not a concept.
 */
const NAMES_IN_TWO_FOLDERS_LEFT = ['row-seals.ts'];

/** The file names (index.ts aside) that stand in more than one folder of `tree`, with the folders. */
function namesInTwoFolders(tree: readonly Pick<SourceFile, 'path'>[]): Map<string, string[]> {
  const folders = new Map<string, string[]>();
  for (const { path } of tree) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (name !== 'index.ts') folders.set(name, [...(folders.get(name) ?? []), path]);
  }
  return new Map([...folders].filter(([, paths]) => paths.length > 1));
}

describe('one concept, one file name', () => {
  it('no file name of src/ stands in two folders, but those left', () => {
    const twice = namesInTwoFolders(files);
    expect([...twice.keys()].sort(), JSON.stringify(Object.fromEntries(twice))).toEqual(NAMES_IN_TWO_FOLDERS_LEFT);
    expect(NAMES_IN_TWO_FOLDERS_LEFT.length).toBeLessThanOrEqual(10);
  });

  it('finds a name planted in two folders, and not index.ts or a name in one', () => {
    const planted = [
      { path: 'app/run-pings.ts' },
      { path: 'alerts/run-pings.ts' },
      { path: 'app/index.ts' },
      { path: 'alerts/index.ts' },
      { path: 'alerts/digest-alert.ts' },
    ];
    expect(namesInTwoFolders(planted)).toEqual(
      new Map([['run-pings.ts', ['app/run-pings.ts', 'alerts/run-pings.ts']]]),
    );
  });
});
