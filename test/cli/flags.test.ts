import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EXIT, UsageError } from '../../src/errors.js';
import type { CommandProcess } from '../../src/cli/command.js';
import { commandTable } from '../../src/cli/commands/index.js';
import { flag, optionSpecsOf, parseFlags, ruleAcrossFlags, runWithFlags, withFlags } from '../../src/cli/flags.js';
import { commandHelp } from '../../src/cli/help.js';
import { runLedgerline } from '../support/cli.js';
import { useTempDir } from '../support/temp-dir.js';

const COMMANDS = commandTable();

const tempDir = useTempDir();

/** One flag of each helper, and a rule across two of them. */
const TOY_FLAGS = z
  .object({
    'as-of': flag.date('DATE', 'the close of DATE'),
    start: flag.calendarDate('DATE', "the world's first day"),
    by: flag.choice(['day', 'week', 'month'], 'W', 'split the figures per W'),
    dry: flag.boolean('write nothing'),
    out: flag.text('PATH', 'write here').default('out.csv'),
    source: flag.repeatedText('ID', 'only this source'),
    panel: flag.requiredText('ID', 'the panel to proxy', 'the panel source whose orders the proxy records'),
    workers: flag.wholeNumber('N', 'this many at once', 1).default(1),
    seed: flag.wholeNumber('N', 'the random seed'),
    port: flag.port('P', 'listen on P'),
    upper: flag.readWith(
      'WORD',
      'a word in capitals',
      (given) => (/^[A-Z]+$/.test(given) ? given.toLowerCase() : undefined),
      (name, given) => `${name} takes capitals, not "${given}"`,
    ),
  })
  .superRefine(
    ruleAcrossFlags((flags) =>
      flags.dry && flags.seed !== undefined ? '--seed goes with a run that writes' : undefined,
    ),
  );

/** The refusal `values` meet, as the CLI words it. */
function refusal(values: Record<string, string | boolean | string[]>, argv?: readonly string[]): string {
  try {
    parseFlags(TOY_FLAGS, { panel: 'p', ...values }, { argv });
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error(`${JSON.stringify(values)} was not refused`);
}

describe('a flag schema (cli/flags.ts)', () => {
  it('parses to typed values, with the defaults of the flags left out', () => {
    expect(
      parseFlags(
        TOY_FLAGS,
        {
          panel: 'smm',
          'as-of': 'yesterday',
          by: 'week',
          source: ['a', 'b'],
          port: '0',
          upper: 'ABC',
          config: 'global.yaml',
        },
        {},
      ),
    ).toEqual({
      'as-of': 'yesterday',
      by: 'week',
      dry: false,
      out: 'out.csv',
      source: ['a', 'b'],
      panel: 'smm',
      workers: 1,
      port: 0,
      upper: 'abc',
    });
    expect(parseFlags(TOY_FLAGS, { panel: 'smm', dry: true, workers: '12', start: '2026-03-01' }, {})).toMatchObject({
      dry: true,
      workers: 12,
      start: '2026-03-01',
    });
    expect(parseFlags(TOY_FLAGS, { panel: 'smm', seed: '0' }, {})).toMatchObject({ seed: 0 });
  });

  it("refuses each flag's value in one line naming the flag, in the words the commands always used", () => {
    expect(refusal({ 'as-of': '2026-02-30' })).toBe(
      '--as-of must be a calendar date YYYY-MM-DD or "yesterday", got "2026-02-30"',
    );
    expect(refusal({ start: 'yesterday' })).toBe('--start must be a calendar date YYYY-MM-DD, got "yesterday"');
    expect(refusal({ by: 'wek' }, ['balances', '--by', 'wek', '--json'])).toBe(
      '--by takes day, week or month, not "wek"; did you mean "ledgerline balances --by week --json"?',
    );
    expect(refusal({ workers: '0' })).toBe('--workers must be a whole number of at least 1 (got 0)');
    expect(refusal({ seed: '-3' })).toBe('--seed must be a whole number, got "-3"');
    expect(refusal({ seed: '99999999999999999999' })).toBe('--seed must be a whole number, got "99999999999999999999"');
    expect(refusal({ port: '65536' })).toBe('--port must be a whole number from 0 to 65535, got "65536"');
    expect(refusal({ upper: 'abc' })).toBe('--upper takes capitals, not "abc"');
    expect(refusal({ panel: '' })).toBe('--panel ID is required: the panel source whose orders the proxy records');
    expect(refusal({ dry: true, seed: '7' })).toBe('--seed goes with a run that writes');
  });

  it('gives parseArgs and --help each flag as it was declared, placeholder and all', () => {
    const options = optionSpecsOf(TOY_FLAGS);
    expect(Object.keys(options)).toEqual([
      'as-of',
      'start',
      'by',
      'dry',
      'out',
      'source',
      'panel',
      'workers',
      'seed',
      'port',
      'upper',
    ]);
    expect(options['as-of']).toEqual({ type: 'string', value: 'DATE', description: 'the close of DATE' });
    expect(options.dry).toEqual({ type: 'boolean', description: 'write nothing' });
    expect(options.source).toEqual({ type: 'string', multiple: true, value: 'ID', description: 'only this source' });
    const command = withFlags({
      usage: 'ledgerline toy',
      flags: TOY_FLAGS,
      examples: ['ledgerline toy --panel p'],
      run: () => Promise.resolve(EXIT.ok),
    });
    const help = commandHelp(
      { name: 'toy', summary: 'a toy', ledger: 'none', load: () => Promise.resolve(command) },
      command,
      {},
    );
    expect(help).toMatch(/^ {2}--as-of DATE +the close of DATE$/m);
    expect(help).toMatch(/^ {2}--by W +split the figures per W$/m);
    expect(help).toMatch(/^ {2}--dry +write nothing$/m);
    expect(help).toMatch(/^ {2}--source ID … +only this source$/m);
  });

  it('hands run the flags parsed, and refuses before run is called', async () => {
    const seen: unknown[] = [];
    const command = withFlags({
      usage: 'ledgerline toy',
      flags: TOY_FLAGS,
      examples: [],
      run: (context) => {
        seen.push(context.flags.workers, context.flags.by, 'values' in context);
        return Promise.resolve(EXIT.ok);
      },
    });
    const process = { argv: ['toy'] } as unknown as CommandProcess;
    await expect(runWithFlags(command, { panel: 'p', workers: '3', by: 'day' }, process)).resolves.toBe(EXIT.ok);
    expect(seen).toEqual([3, 'day', false]);
    await expect(runWithFlags(command, { panel: 'p', workers: 'three' }, process)).rejects.toThrow(
      new UsageError('--workers must be a whole number of at least 1 (got three)'),
    );
    expect(seen).toHaveLength(3);
  });

  it('reads a choice from a registry when the flags are parsed and its meaning when --help is shown, never at declaration', () => {
    const kinds = ['xero'];
    const flags = z.object({
      to: flag.choiceFrom(
        () => kinds,
        'DEST',
        () => `${kinds.join(' | ')}: only this one`,
      ),
      format: flag
        .choiceFrom(
          () => kinds,
          'F',
          () => 'the format',
        )
        .unwrap(),
    });
    const options = optionSpecsOf(flags);
    kinds.push('plugged');
    expect(options.to).toEqual({ type: 'string', value: 'DEST', description: 'xero | plugged: only this one' });
    expect(parseFlags(flags, { to: 'plugged', format: 'xero' }, {})).toEqual({ to: 'plugged', format: 'xero' });
    expect(() => parseFlags(flags, { to: 'pluged', format: 'xero' }, { argv: ['doctor', '--to', 'pluged'] })).toThrow(
      new UsageError('--to takes xero or plugged, not "pluged"; did you mean "ledgerline doctor --to plugged"?'),
    );
    // Unwrapped, it must be given: its absence is refused as the value it lacks.
    expect(() => parseFlags(flags, {}, {})).toThrow(new UsageError('--format takes xero or plugged, not "undefined"'));
  });

  it('refuses a schema field not built by a flag helper, since --help could not describe it', () => {
    expect(() => optionSpecsOf(z.object({ loose: z.string().optional() }))).toThrow(
      '--loose is not built by a flag helper of cli/flags.ts',
    );
  });
});

describe('a command line refused by its flags (the CLI, before any configuration is read)', () => {
  it.each([
    [
      'a bad date',
      ['balances', '--as-of', '2026-02-30'],
      'error: --as-of must be a calendar date YYYY-MM-DD or "yesterday", got "2026-02-30"',
    ],
    [
      'a bad choice, with the line meant',
      ['balances', '--by', 'monht', '--json'],
      'error: --by takes day or month, not "monht"; did you mean "ledgerline balances --by month --json"?',
    ],
    ['a missing value', ['sync', '--as-of'], 'error: sync: --as-of needs a value (DATE) (see "ledgerline help sync")'],
    [
      'an unknown flag',
      ['report', '--form', '2026-03-01'],
      'error: report: unknown option --form; did you mean --from? (see "ledgerline help report")',
    ],
    [
      'a number out of range',
      ['worker', '--concurrency', '0'],
      'error: --concurrency must be a whole number of at least 1 (got 0)',
    ],
    [
      'a port out of range',
      ['panel-proxy', '--source', 'smm-panel', '--port', '70000'],
      'error: --port must be a whole number from 0 to 65535, got "70000"',
    ],
    [
      'a required flag left out',
      ['panel-proxy'],
      'error: --source ID is required: the panel source whose orders the proxy records',
    ],
    ['two flags that do not go together', ['sync', '--exact'], 'error: --exact goes with --dry-run'],
    [
      'a queue flag without --queue',
      ['sync', '--retries', '2'],
      'error: --job-expiry, --queue-wait, --retries and --retry-delay go with --queue',
    ],
    [
      "a local run's flag with --queue",
      ['sync', '--queue', '--lock-wait', '2'],
      'error: --lock-wait goes with a sync that books here: not with --queue or --dry-run',
    ],
    [
      'a global flag',
      ['status', '--log-format', 'jsno'],
      'error: --log-format takes json or text, not "jsno"; did you mean "--log-format json"?',
    ],
  ])('%s: one line naming the flag, exit 2', async (_case, argv, line) => {
    const run = await runLedgerline(argv, { cwd: tempDir() });
    expect(run).toEqual({ code: 2, stdout: '', stderr: `${line}\n` });
  });

  it('--help lists each flag of a converted command with its placeholder', async () => {
    const expected: Record<string, readonly string[]> = {
      balances: ['--as-of DATE', '--from DATE', '--to DATE', '--by day|month', '--source ID'],
      sync: [
        '--source ID …',
        '--as-of DATE',
        '--orders-file F',
        '--granularity G',
        '--dry-run ',
        '--job-expiry S',
        '--queue-wait S',
        '--retries N',
      ],
      sandbox: ['--seed N', '--port P', '--start DATE', '--panel-flavour NAME', '--webhook-secret S'],
      worker: ['--concurrency N', '--expiry-check S'],
      'panel-proxy': ['--source ID', '--port N', '--host ADDR'],
    };
    for (const [name, flags] of Object.entries(expected)) {
      const help = await runLedgerline([name, '--help'], { cwd: tempDir() });
      for (const shown of flags) expect(help.stdout, name).toContain(`  ${shown}`);
    }
    expect(COMMANDS.map((entry) => entry.name)).toEqual(expect.arrayContaining(Object.keys(expected)));
  });
});
