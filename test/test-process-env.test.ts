import { statfsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

/** As withTemporaryFolderInMemory (test/support/test-process-env.ts) decides: /dev/shm with 4 GiB free. */
function memoryHasRoom(): boolean {
  try {
    const { bavail, bsize } = statfsSync('/dev/shm');
    return bavail * bsize >= 4 * 1024 ** 3;
  } catch {
    return false;
  }
}

describe("the test run's own folders", () => {
  it.runIf(memoryHasRoom())(
    'makes its temporary files in a folder of /dev/shm that any user may write in, as /tmp',
    () => {
      const folder = tmpdir();
      expect(dirname(folder)).toBe('/dev/shm');
      expect(folder).toMatch(/\/ledgerline-test-\w+$/);
      // The sticky bit and everyone's write: the test cluster's owner (postgres, under root) makes its folder here.
      expect(statSync(folder).mode & 0o7777).toBe(0o1777);
    },
  );

  it('keeps the witness of every writing command inside the run, not in the home folder', () => {
    expect(process.env.XDG_STATE_HOME?.startsWith(`${tmpdir()}/ledgerline-test-state-`)).toBe(true);
  });
});
