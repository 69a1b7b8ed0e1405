import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { loadExchangeRates } from '../../../src/pipeline/operations/exchange-rates.js';
import { useTempDir } from '../../support/temp-dir.js';

const tempDir = useTempDir('ledgerline-rates-');

function ratesFile(text: string): string {
  const file = join(tempDir(), 'rates.csv');
  writeFileSync(file, text);
  return file;
}

describe('exchange rates (destinations.rates)', () => {
  it("takes the file's latest rate on or before the entry's date, then the fixed rate, else none", () => {
    const file = ratesFile('date,currency,rate\n2024-02-20,EUR,1.6\n2024-02-14,EUR,1.5\n');
    const rates = loadExchangeRates({ file, fixed: { EUR: '1.4', GBP: '1.27' } });
    expect(rates('EUR', '2024-02-14')).toEqual({ rate: '1.5', source: 'rates.csv 2024-02-14' });
    expect(rates('EUR', '2024-02-19')).toEqual({ rate: '1.5', source: 'rates.csv 2024-02-14' });
    expect(rates('EUR', '2024-03-01')).toEqual({ rate: '1.6', source: 'rates.csv 2024-02-20' });
    expect(rates('EUR', '2024-02-13')).toEqual({ rate: '1.4', source: 'config destinations.rates.fixed.EUR' });
    expect(rates('GBP', '2024-02-13')).toEqual({ rate: '1.27', source: 'config destinations.rates.fixed.GBP' });
    expect(rates('INR', '2024-02-13')).toBeUndefined();
    expect(loadExchangeRates(undefined)('EUR', '2024-02-13')).toBeUndefined();
  });

  it('gathers every problem in the file, each with its line, before anything is sent', () => {
    const file = ratesFile(
      'date,currency,rate\n2024-02-30,EUR,1.5\n2024-02-14,eur,1.5\n2024-02-14,EUR,0\n2024-02-15,EUR,1.5\n2024-02-15,EUR,1.6\n',
    );
    let caught: unknown;
    try {
      loadExchangeRates({ file });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).problems.map((problem) => `${problem.path}: ${problem.message}`)).toEqual([
      'line 2: date "2024-02-30" is not YYYY-MM-DD',
      'line 3: currency "eur" is not a three-letter code in capitals',
      'line 4: rate "0" is not a positive decimal with at most 10 decimals',
      'line 6: gives a second EUR rate for 2024-02-15',
    ]);
  });
});
