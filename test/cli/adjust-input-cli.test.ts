import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjustmentBooks } from '../../src/pipeline/adjustments/index.js';
import { useAdjustingWorlds, type AdjustingWorld } from '../support/adjusting-world.js';
import { openLedgerBooks } from '../pipeline/post-books.js';
import { runCli } from './post-cli-harness.js';

const adjustingWorld = useAdjustingWorlds();
const LINES = ['--debit', 'smm_services_expense=28.71', '--credit', 'suspense=28.71'];

async function adjustments(dir: string): Promise<string[]> {
  const books = await openLedgerBooks(join(dir, 'data'));
  try {
    return (await books.of(adjustmentBooks).all()).map((adjustment) => adjustment.entryId);
  } finally {
    await books.close();
  }
}

describe('adjust checks its own input before it asks anything of a destination', () => {
  let world: AdjustingWorld;
  beforeAll(async () => {
    world = await adjustingWorld(mkdtempSync(join(tmpdir(), 'ledgerline-adjust-input-')));
  });
  afterAll(() => rmSync(world.dir, { recursive: true, force: true }));
  const adjust = (...args: string[]) => runCli(['adjust', '--config', world.config, ...args], { cwd: world.dir });
  const requestsToFakes = () => world.xero.fake.requestLog().length + world.quickbooks.fake.requestLog().length;

  it.each([
    [
      'a date decades ahead',
      ['--date', '2099-01-01', ...LINES, '--reason', 'r'],
      /^error: an adjusting entry dated 2099-01-01 is after the books' day \d{4}-\d\d-\d\d: nothing is booked in the future/,
    ],
    [
      'an unbalanced entry',
      ['--date', '2024-02-10', '--debit', 'suspense=1.00', '--credit', 'smm_services_expense=0.99', '--reason', 'r'],
      /^error: the lines do not balance/,
    ],
    [
      'a 20-digit amount',
      [
        '--date',
        '2024-02-10',
        '--debit',
        'suspense=12345678901234567890',
        '--credit',
        'smm_services_expense=12345678901234567890',
        '--reason',
        'r',
      ],
      /^error: --debit suspense=12345678901234567890: 12345678901234567890 is beyond what the ledger holds in one line \(less than 1000000000000 USD\)/,
    ],
    [
      'a currency ISO 4217 does not list',
      ['--date', '2024-02-10', ...LINES, '--currency', 'XYZ', '--reason', 'r'],
      /^error: --currency "XYZ" is not an ISO 4217 currency code/,
    ],
    [
      'an escape in the reason',
      ['--date', '2024-02-10', ...LINES, '--reason', 'fee \u001b[31mred\u0007'],
      /^error: --reason holds a control character \(U\+001B, at character 5\)/,
    ],
    [
      'a bidirectional override in the reason',
      ['--date', '2024-02-10', ...LINES, '--reason', 'fee \u202egnp.exe'],
      /^error: --reason holds a control character \(U\+202E, at character 5\)/,
    ],
    [
      'a control character in a line',
      [
        '--date',
        '2024-02-10',
        '--debit',
        'suspense=1.00\u0007',
        '--credit',
        'smm_services_expense=1.00',
        '--reason',
        'r',
      ],
      /^error: --debit holds a control character \(U\+0007/,
    ],
  ])('refuses %s: exit 2, one line, no request to either fake, nothing booked', async (_what, args, said) => {
    const before = requestsToFakes();
    const run = await adjust(...args);
    expect([run.code, run.stdout]).toEqual([2, '']);
    expect(run.stderr).toMatch(said);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(requestsToFakes()).toBe(before);
    expect(await adjustments(world.dir)).toEqual([]);
  });

  it('a rerun after an unknown outcome books nothing more, with --id and without; a key reused for other lines is refused', async () => {
    const first = await adjust('--date', '2024-02-10', ...LINES, '--reason', 'ticket 881', '--id', 'ticket-881');
    expect([first.code, first.stderr]).toEqual([0, '']);
    const again = await adjust(
      '--date',
      '2024-02-10',
      '--debit',
      'SMM services=28.710',
      '--credit',
      'suspense=28.71',
      '--reason',
      'ticket 881 ',
      '--id',
      'ticket-881',
    );
    expect([again.code, again.stdout]).toEqual([
      0,
      expect.stringMatching(
        /^je:adjustment:2024-02-10:1 was booked already for this entry \(by .+\): nothing more was booked/,
      ),
    ]);
    const other = await adjust(
      '--date',
      '2024-02-10',
      '--debit',
      'smm_services_expense=1.00',
      '--credit',
      'suspense=1.00',
      '--reason',
      'ticket 881',
      '--id',
      'ticket-881',
    );
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(
      'the entry keyed "ticket-881" was booked already as je:adjustment:2024-02-10:1 with other lines, date or reason; nothing more was booked',
    );

    const unkeyed = ['--date', '2024-02-11', ...LINES, '--reason', 'panel fee by hand'];
    expect((await adjust(...unkeyed)).code).toBe(0);
    const rerun = await adjust(...unkeyed);
    expect([rerun.code, rerun.stdout]).toEqual([
      0,
      expect.stringContaining('je:adjustment:2024-02-11:2 was booked already for this entry'),
    ]);
    expect(await adjustments(world.dir)).toEqual(['je:adjustment:2024-02-10:1', 'je:adjustment:2024-02-11:2']);
  });
});
