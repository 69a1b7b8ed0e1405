import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { choiceRefusal, flagChoice, mendedLine } from '../../src/cli/flag-choice.js';
import { listed } from '../../src/log/index.js';

describe('a refused flag value names what was expected and the command meant', () => {
  it('takes a value among the choices as it is', () => {
    expect(flagChoice({ argv: ['balances', '--by', 'day'] }, '--by', 'day', ['day', 'month'])).toBe('day');
  });

  it('refuses a typo with the typed command line mended, whether the value follows the flag or is joined to it by =', () => {
    expect(() =>
      flagChoice({ argv: ['balances', '--by', 'monht', '--json'] }, '--by', 'monht', ['day', 'month']),
    ).toThrow(
      new UsageError('--by takes day or month, not "monht"; did you mean "ledgerline balances --by month --json"?'),
    );
    expect(choiceRefusal({ argv: ['export', '--format=hleger'] }, '--format', 'hleger', ['generic', 'hledger'])).toBe(
      '--format takes generic or hledger, not "hleger"; did you mean "ledgerline export --format=hledger"?',
    );
  });

  it('mends only the value that follows the flag, and quotes what a shell would split', () => {
    expect(mendedLine({ argv: ['post', 'xeor', '--note', 'xeor'] }, 'post', 'xeor', 'xero')).toBe(
      'ledgerline post xero --note xeor',
    );
    expect(
      mendedLine(
        { argv: ['sync', '--granularity', 'dya', '--orders-file', 'my orders.csv'] },
        '--granularity',
        'dya',
        'day',
      ),
    ).toBe("ledgerline sync --granularity day --orders-file 'my orders.csv'");
  });

  it('says only what was expected when nothing is close, and the flag alone when the command line is not known', () => {
    expect(choiceRefusal({ argv: ['balances', '--by', 'fortnight'] }, '--by', 'fortnight', ['day', 'month'])).toBe(
      '--by takes day or month, not "fortnight"',
    );
    expect(choiceRefusal({}, '--log-format', 'jsno', ['json', 'text'])).toBe(
      '--log-format takes json or text, not "jsno"; did you mean "--log-format json"?',
    );
  });

  it('lists choices as a sentence does', () => {
    expect(listed(['xero'])).toBe('xero');
    expect(listed(['generic', 'xero', 'quickbooks'])).toBe('generic, xero or quickbooks');
  });
});
