import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMappings, packageMappingsDir } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the shipped mappings to edit. */
function mappings(): string {
  const dir = mkdtempSync(join(tmpdir(), 'chart-tax-'));
  dirs.push(dir);
  cpSync(packageMappingsDir(), dir, { recursive: true });
  return dir;
}

describe("the chart's tax: (issue 70)", () => {
  it('a chart with tax: rules gives the mappings its tax book, for journalizing to book the tax', () => {
    const dir = mappings();
    appendFileSync(join(dir, 'default.yaml'), 'tax:\n  advertiser_spend: [{ code: INPUT2, rate: 20 }]\n');
    const loaded = loadMappings({ chartPath: join(dir, 'default.yaml') });
    expect(loaded.chart.tax).toEqual({ advertiser_spend: [{ code: 'INPUT2', rate: '20' }] });
    expect(loaded.chart.taxBook?.flows).toEqual(loaded.chart.tax);
    expect(loaded.chart.taxBook?.revenue).toEqual(new Set(['ad_revenue']));
  });

  it('a chart without tax: books by the rated rules of a destination mapping beside it, as that mapping was written', () => {
    const dir = mappings();
    appendFileSync(join(dir, 'xero.yaml'), 'tax:\n  order_charge: [{ code: INPUT2, rate: 20 }]\n');
    const loaded = loadMappings({ chartPath: join(dir, 'default.yaml') });
    expect(loaded.chart.tax).toBeUndefined();
    expect(loaded.chart.taxBook?.flows).toEqual({ order_charge: [{ code: 'INPUT2', rate: '20' }] });
  });

  it('without a rate anywhere, or in a chart copied before it had VAT accounts, nothing books tax', () => {
    const unrated = mappings();
    appendFileSync(join(unrated, 'xero.yaml'), 'tax:\n  order_charge: REVERSECHARGES\n');
    expect(loadMappings({ chartPath: join(unrated, 'default.yaml') }).chart.taxBook).toBeUndefined();
    const old = mappings();
    const chart = join(old, 'default.yaml');
    writeFileSync(chart, readFileSync(chart, 'utf8').replace(/^ {2}vat_(output|input):.*\n/gm, ''));
    appendFileSync(join(old, 'xero.yaml'), 'tax:\n  order_charge: [{ code: INPUT2, rate: 20 }]\n');
    expect(loadMappings({ chartPath: chart }).chart.taxBook).toBeUndefined();
  });

  it("a chart's rated rule without the VAT accounts is refused, naming the file and the account", () => {
    const dir = mappings();
    const chart = join(dir, 'default.yaml');
    writeFileSync(chart, readFileSync(chart, 'utf8').replace(/^ {2}vat_input:.*\n/m, ''));
    appendFileSync(chart, 'tax:\n  advertiser_spend: [{ code: INPUT2, rate: 20 }]\n');
    expect(() => loadMappings({ chartPath: chart })).toThrow(ConfigError);
    expect(() => loadMappings({ chartPath: chart })).toThrow(/accounts\.vat_input: is required by tax:/);
  });
});
