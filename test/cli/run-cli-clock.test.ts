import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_ENVIRONMENT } from '../../sandbox/index.js';
import type { Clock } from '../../src/http/index.js';
import { reply, startLocalServer, type LocalServer } from '../http/local-server.js';
import { runLedgerline } from '../support/cli.js';
import { fastForwardClock } from '../support/fast-forward-clock.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-run-cli-clock-');

describe("a command's retries sleep on the one clock its process is given", { timeout: 60_000 }, () => {
  let server: LocalServer | undefined;
  beforeAll(async () => {
    server = await startLocalServer((_request, response) => reply(response, 502, 'bad gateway'));
  });
  afterAll(() => server?.close());

  it('sources test against sources answering 502: the backoff before each second attempt is slept on the given clock', async () => {
    const dir = tempDir();
    expect(
      (await runLedgerline(['init', '--sandbox-url', server!.url], { cwd: dir, env: SANDBOX_ENVIRONMENT })).code,
    ).toBe(0);
    const given = fastForwardClock();
    const slept: number[] = [];
    const clock: Clock = { now: given.now, sleep: (ms, cut) => (slept.push(ms), given.sleep(ms, cut)) };
    const asked = server!.received.length;

    const run = await runLedgerline(['sources', 'test', '--json'], { cwd: dir, env: SANDBOX_ENVIRONMENT, clock });

    expect(run.code, run.stderr).toBe(3);
    const failed = (JSON.parse(run.stdout) as { status: string; detail: string }[]).filter(
      (row) => row.status === 'fail',
    );
    expect(failed.map((row) => row.detail)).toEqual([
      expect.stringMatching(/: HTTP 502 after 2 attempts$/),
      expect.stringMatching(/: HTTP 502 after 2 attempts$/),
    ]);
    expect(server!.received.length - asked).toBe(4);
    expect(slept).toHaveLength(2);
  });
});
