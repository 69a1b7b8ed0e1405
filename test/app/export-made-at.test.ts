import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { exportMadeAt } from '../../src/app/books-days.js';

/** A port on 127.0.0.1 nothing listens on: taken, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

describe("an export's clock (issue 86): asked of the sandbox only for a file that says when it was made", () => {
  const now = () => new Date('2026-11-28T14:10:05.123Z');

  it("hands a format that states no time the machine's, without asking a stopped sandbox or warning", async () => {
    const warnings: string[] = [];
    const config = { timezone: 'Europe/London', sandboxClock: `http://127.0.0.1:${await closedPort()}` };
    const madeAt = await exportMadeAt(
      config,
      { now, logger: { warn: (line: string) => warnings.push(line) } as never },
      {},
    );
    expect(madeAt).toBe('2026-11-28T14:10:05.123');
    expect(warnings).toEqual([]);
  });

  it("reads the sandbox's day for DATEV's header, and says so when the sandbox cannot be read", async () => {
    const warnings: string[] = [];
    const config = { timezone: 'Europe/London', sandboxClock: `http://127.0.0.1:${await closedPort()}` };
    const logger = { warn: (line: string) => warnings.push(line) } as never;
    const madeAt = await exportMadeAt(config, { now, logger }, { statesWhenMade: true });
    expect(madeAt).toBe('2026-11-28T00:00:00.000');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("dated by this machine's clock instead");
  });
});
