import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjustmentBooks, approveAdjustment } from '../../src/pipeline/adjustments/index.js';
import { LEDGER_ENGINES, useLedgerEngines } from '../support/ledger-engines.js';
import { useTempDir } from '../support/temp-dir.js';
import { FINDING, useAdjustingWorlds, type AdjustingWorld } from '../support/adjusting-world.js';
import { openLedgerBooks } from '../pipeline/post-books.js';
import { runCli } from './post-cli-harness.js';
import { runLedgerline } from '../support/cli.js';

const tempDir = useTempDir('ledgerline-adjust-cli-');
const engines = useLedgerEngines();
const adjustingWorld = useAdjustingWorlds();
const ENTRY = 'je:adjustment:2024-02-10:1';
const LINES = ['--debit', 'smm_services_expense=28.71', '--credit', 'Suspense (to review)=28.71'];

async function adjustmentCount(dir: string, ledgerUrl?: string): Promise<number> {
  const books = await openLedgerBooks(join(dir, 'data'), ledgerUrl);
  try {
    return (await books.of(adjustmentBooks).all()).length;
  } finally {
    await books.close();
  }
}

describe.each(LEDGER_ENGINES)('ledgerline adjust (%s ledger)', (engine) => {
  // Posting it to both fakes is the console's test (test/reads/console/adjusting-entry-form.test.ts).
  it('books a balanced entry explaining a finding: the finding acknowledged with it, the report naming who, when and why', async () => {
    const ledgerUrl = await engines.fresh(engine);
    const { dir, config } = await adjustingWorld(tempDir(), { ledgerUrl });
    const booked = await runCli(
      [
        'adjust',
        '--config',
        config,
        '--date',
        '2024-02-10',
        ...LINES,
        '--reason',
        'orders placed by hand on the panel',
        '--explains',
        FINDING,
      ],
      { cwd: dir },
    );
    expect(booked.stderr).toBe('');
    expect(booked.code).toBe(0);
    expect(booked.stdout).toMatch(
      new RegExp(
        `^booked adjusting entry ${ENTRY} dated 2024-02-10, by \\S+ at \\S+: orders placed by hand on the panel\\n`,
      ),
    );
    expect(booked.stdout).toContain(
      '  Dr smm_services_expense                28.71 USD\n  Cr suspense                            28.71 USD\n',
    );
    expect(booked.stdout).toContain(`acknowledged: ${FINDING} (explained by this entry)`);

    const items = JSON.parse(
      (await runCli(['reconcile', '--config', config, '--as-of', '2024-02-10', '--json'], { cwd: dir })).stdout,
    ) as { items: { id: string; acknowledged: { note: string | null } | null }[] };
    expect(items.items.find((item) => item.id === FINDING)?.acknowledged?.note).toBe(
      `explained by adjusting entry ${ENTRY}: orders placed by hand on the panel`,
    );

    const report = await runCli(['report', '--config', config, '--out', join(dir, 'report.html')], { cwd: dir });
    expect(report.code).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toMatch(
      new RegExp(
        `<tr><td>2024-02-10</td><td>${ENTRY}</td><td>orders placed by hand on the panel</td><td>[^<]+</td><td class="num">[^<]+</td><td>${FINDING}</td><td>not needed</td></tr>`,
      ),
    );
  });
});

describe('ledgerline adjust refuses, naming what is wrong, and books nothing', () => {
  let world: AdjustingWorld;
  // One world read by every refusal (made outside useTempDir, which empties a folder after each test).
  beforeAll(async () => {
    world = await adjustingWorld(mkdtempSync(join(tmpdir(), 'ledgerline-adjust-refusals-')));
  });
  afterAll(() => rmSync(world.dir, { recursive: true, force: true }));
  const adjust = (...args: string[]) =>
    runCli(['adjust', '--config', world.config, '--reason', 'a test', ...args], { cwd: world.dir });

  it.each([
    [
      ['--date', '2024-02-10', '--debit', 'suspense=28.71', '--credit', 'smm_services_expense=28.70'],
      'the lines do not balance: debits 28.71 USD, credits 28.70 USD (a difference of 0.01)',
    ],
    [
      ['--date', '2024-02-10', '--debit', 'suspence=28.71', '--credit', 'smm_services_expense=28.71'],
      '--debit suspence=28.71: no account "suspence" in',
    ],
    [
      ['--date', '2024-02-10', '--debit', 'suspense=28.715', '--credit', 'smm_services_expense=28.715'],
      '--debit suspense=28.715: 28.715 has more than the 2 decimal places USD is written with',
    ],
    [
      ['--date', '2024-02-10', '--debit', 'suspense=-1', '--credit', 'smm_services_expense=1'],
      '--debit suspense=-1: the amount "-1" is not a plain positive amount',
    ],
  ])('%j', async (args, message) => {
    const run = await adjust(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(await adjustmentCount(world.dir)).toBe(0);
  });

  it("an entry dated in a destination's locked period, naming the date and the lock", async () => {
    world.xero.fake.setLockDates({ periodLockDate: '2024-02-29' });
    try {
      const run = await adjust('--date', '2024-02-10', ...LINES);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        'Xero: an adjusting entry dated 2024-02-10 falls in a closed period (books locked through 2024-02-29); nothing was booked',
      );
    } finally {
      world.xero.fake.setLockDates({ periodLockDate: null });
    }
    expect(await adjustmentCount(world.dir)).toBe(0);
  });
});

describe('with adjustments.requireApproval', () => {
  it('post holds the entry back until a second person approves it; its author cannot', async () => {
    const { dir, config } = await adjustingWorld(tempDir(), { extra: 'adjustments:\n  requireApproval: true\n' });
    const booked = await runCli(
      ['adjust', '--config', config, '--date', '2024-02-11', ...LINES, '--reason', 'waits for a second person'],
      { cwd: dir },
    );
    expect(booked.code).toBe(0);
    const entry = 'je:adjustment:2024-02-11:1';
    expect(booked.stdout).toContain(
      `it waits for a second person's approval before it is posted: ledgerline adjust approve ${entry}`,
    );

    const held = await runCli(['post', 'xero', '--config', config], { cwd: dir });
    expect(held.code).toBe(1);
    expect(held.stdout).toContain(
      `adjusting entry ${entry} waits for a second person's approval (adjustments.requireApproval): run "ledgerline adjust approve ${entry}" as another user`,
    );

    // close names what settles it: the approval and a post, not reconcile ack (which would leave it unposted).
    const close = await runCli(['close', '--period', '2024-02', '--config', config], { cwd: dir });
    expect(close.stdout).toContain(
      `xero holds back adjusting entry ${entry}: it waits for a second person's approval (adjustments.requireApproval): a second person runs ledgerline adjust approve ${entry} (as another OS user), then ledgerline post xero`,
    );
    expect(close.stdout).not.toContain(`reconcile ack refused:xero:${entry}`);

    const own = await runCli(['adjust', 'approve', entry, '--config', config], { cwd: dir });
    expect(own.code).toBe(2);
    expect(own.stderr).toContain(
      `: a second person approves it (run "ledgerline adjust approve ${entry}" as another user)`,
    );

    // The second person: another OS user, which this process cannot become; the use case is handed that user.
    const books = await openLedgerBooks(join(dir, 'data'));
    try {
      const approved = await approveAdjustment(
        { decide: (work) => books.decide((tx) => work({ adjustments: tx.of(adjustmentBooks) })) },
        entry,
        {
          user: 'second-person',
          now: new Date('2024-02-12T09:00:00Z'),
        },
      );
      expect(approved.approval).toEqual({ by: 'second-person', at: '2024-02-12T09:00:00.000Z' });
    } finally {
      await books.close();
    }
    const posted = await runCli(['post', 'xero', '--config', config], { cwd: dir });
    expect(posted.stdout).toMatch(/^Xero: 1 posted, 0 refused/);
  });
});

/** A card fee moved out of suspense: the adjusting entry both set-ups below book. */
const CARD_FEE_ADJUSTMENT = [
  'adjust',
  '--date',
  '2026-11-01',
  '--debit',
  'bank_fees=9.00',
  '--credit',
  'suspense=9.00',
  '--reason',
  'card fee',
];

describe('ledgerline adjust where no destination can be asked its lock date', () => {
  it('destinations configured but their credentials not set: the entry is booked and each destination named with the variable', async () => {
    const dir = tempDir();
    expect((await runLedgerline(['init', '--for', 'xero'], { cwd: dir })).code).toBe(0);
    const run = await runLedgerline(CARD_FEE_ADJUSTMENT, { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('booked adjusting entry je:adjustment:2026-11-01:1');
    expect(run.stdout).toContain('the next "ledgerline post" delivers it to each destination');
    expect(run.stderr).toContain("could not read xero's lock date");
    expect(run.stderr).toContain('XERO_CLIENT_ID is not set');
    expect(run.stderr).toContain('ledgerline post xero\\" holds the entry back if its period is locked');
  });

  it('a CSV-only set-up (init --for csv, no destinations) books it and asks nothing', async () => {
    const dir = tempDir();
    expect((await runLedgerline(['init', '--for', 'csv'], { cwd: dir })).code).toBe(0);
    const run = await runLedgerline(CARD_FEE_ADJUSTMENT, { cwd: dir });
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toContain('booked adjusting entry je:adjustment:2026-11-01:1');
    // Not "the next post delivers it to each destination": there is none to post to.
    expect(run.stdout).toContain('no destination is configured: the next "ledgerline export" of its date carries it');
  });
});
