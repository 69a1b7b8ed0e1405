import { describe, expect, test } from 'vitest';
import { readYamlFile } from '../../src/config/yaml-file.js';
import { tempFolder } from './temp-folder.js';

const CHART = ['accounts:', '  revenue: "4000"', '  bank: "0200"', ''].join('\n');

function valueOf(file: string, options: { failsafe?: boolean } = {}) {
  const read = readYamlFile(file, options);
  if (!read.ok) throw new Error(`expected ${file} to parse: ${JSON.stringify(read.problems)}`);
  return read.yaml;
}

describe('readYamlFile, reading a text it parsed before', () => {
  test('gives each reading a value of its own: changing one changes no later reading', () => {
    const folder = tempFolder();
    const file = folder.write('default.yaml', CHART);
    const first = valueOf(file, { failsafe: true }).value as { accounts: Record<string, string> };
    first.accounts.revenue = 'changed by its reader';
    expect(valueOf(file, { failsafe: true }).value).toEqual({ accounts: { revenue: '4000', bank: '0200' } });
  });

  test('reads a file edited since as it is now', () => {
    const folder = tempFolder();
    const file = folder.write('ledgerline.yaml', 'currency: USD\n');
    expect(valueOf(file).value).toEqual({ currency: 'USD' });
    folder.write('ledgerline.yaml', 'currency: GBP\n');
    expect(valueOf(file).value).toEqual({ currency: 'GBP' });
  });

  test('reads the same text under each schema it is asked for: "0200" stays text only under failsafe', () => {
    const folder = tempFolder();
    const file = folder.write('rates.yaml', 'code: 0200\n');
    expect(valueOf(file, { failsafe: true }).value).toEqual({ code: '0200' });
    expect(valueOf(file).value).toEqual({ code: 200 });
  });

  test('names the file it read and the line of a key, for the same text in two folders', () => {
    const one = tempFolder().write('mappings/default.yaml', CHART);
    const other = tempFolder().write('mappings/default.yaml', CHART);
    const first = valueOf(one, { failsafe: true });
    const second = valueOf(other, { failsafe: true });
    expect([first.file, second.file]).toEqual([one, other]);
    expect(second.lineOf(['accounts', 'bank'])).toBe(3);
  });

  test('reports a syntax error again, naming the file of each reading', () => {
    const text = 'sources:\n  - id: a\n   kind: panel\n';
    const files = [tempFolder().write('a.yaml', text), tempFolder().write('b.yaml', text)];
    const problems = files.map((file) => {
      const read = readYamlFile(file);
      return read.ok ? [] : read.problems;
    });
    expect(problems[0]).toHaveLength(1);
    expect(problems[1]?.map((problem) => problem.file)).toEqual([files[1]]);
    expect(problems[1]?.[0]?.message).toBe(problems[0]?.[0]?.message);
    expect(problems[0]?.[0]?.message).toMatch(/^YAML syntax: .*line 3/);
  });
});
