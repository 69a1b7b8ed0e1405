import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ExchangeRatesConfig } from '../../config/index.js';
import type { ExchangeRateLookup } from '../../destinations/index.js';
import { ConfigError, type ConfigProblem, messageOf } from '../../errors.js';
import { isCalendarDate } from '../../calendar/index.js';
import { parseRate } from '../../money/index.js';

/**
 * The exchange rates `post` converts with (DESIGN §5, foreign currency): a
 * CSV file of `date,currency,rate` rows (a header line first; the rate is
 * base-currency units per one unit of the currency, e.g.
 * `2024-02-15,EUR,1.0825`) and fixed rates per currency from the
 * configuration. An entry takes the file's latest rate for its currency on or
 * before its date, else the fixed rate, else none (the entry is refused by
 * name). Every problem in the file is gathered before anything is sent.
 */
export function loadExchangeRates(config: ExchangeRatesConfig | undefined): ExchangeRateLookup {
  const byCurrency =
    config?.file === undefined ? new Map<string, { date: string; rate: string }[]>() : readRatesFile(config.file);
  const fixed = config?.fixed ?? {};
  const fileName = config?.file === undefined ? '' : basename(config.file);
  return (currency, date) => {
    const rows = byCurrency.get(currency) ?? [];
    // Rows are sorted by date: the last one on or before the entry's date.
    let found: { date: string; rate: string } | undefined;
    for (const row of rows) {
      if (row.date > date) break;
      found = row;
    }
    if (found) return { rate: found.rate, source: `${fileName} ${found.date}` };
    const rate = fixed[currency];
    return rate === undefined ? undefined : { rate, source: `config destinations.rates.fixed.${currency}` };
  };
}

function readRatesFile(file: string): Map<string, { date: string; rate: string }[]> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([
      {
        file,
        path: 'destinations.rates.file',
        message: `cannot be read (${messageOf(error)})`,
      },
    ]);
  }
  const problems: ConfigProblem[] = [];
  const byCurrency = new Map<string, { date: string; rate: string }[]>();
  const seen = new Set<string>();
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, index) => {
      const line = raw.trim();
      if (index === 0 || line === '' || line.startsWith('#')) return;
      const problem = (message: string): void => void problems.push({ file, path: `line ${index + 1}`, message });
      const [date = '', currency = '', rate = '', ...rest] = line.split(',').map((cell) => cell.trim());
      if (rest.length > 0) return problem('has more than three columns (date,currency,rate)');
      if (!isCalendarDate(date)) return problem(`date ${JSON.stringify(date)} is not YYYY-MM-DD`);
      if (!/^[A-Z]{3}$/.test(currency))
        return problem(`currency ${JSON.stringify(currency)} is not a three-letter code in capitals`);
      try {
        parseRate(rate);
      } catch {
        return problem(`rate ${JSON.stringify(rate)} is not a positive decimal with at most 10 decimals`);
      }
      if (seen.has(`${currency} ${date}`)) return problem(`gives a second ${currency} rate for ${date}`);
      seen.add(`${currency} ${date}`);
      byCurrency.set(currency, [...(byCurrency.get(currency) ?? []), { date, rate }]);
    });
  if (problems.length > 0) throw new ConfigError(problems);
  for (const rows of byCurrency.values()) rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return byCurrency;
}
