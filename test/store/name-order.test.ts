import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compareNames, takeDefaultLocaleFrom } from '../../src/store/name-order.js';

/** Names over the characters the fast order covers, with the ones it leaves to ICU mixed in. */
function names(): string[] {
  const alphabet = ['_', '-', '.', '0', '1', '9', 'a', 'b', 'z', 'A', 'B', 'Z'];
  const two = alphabet.flatMap((first) => alphabet.map((second) => `${first}${second}`));
  const ledgerish = [
    'bank',
    'bank_fees',
    'bank-fees',
    'Bank',
    'aa',
    'ab',
    'USD',
    'usd',
    'EUR',
    '2026-03',
    '2026-03-01',
  ];
  const others = ['å', 'ä', 'a b', 'a\u0301', 'é', 'a~', 'a/b', ''];
  return [...alphabet, ...two, ...ledgerish, ...others];
}

/** A node that orders `names()` both ways under `env` alone: the built module, as the CLI loads it. */
const SCRIPT = `import { compareNames, takeDefaultLocaleFrom } from ${JSON.stringify(
  pathToFileURL(resolve(import.meta.dirname, '../../dist/src/store/name-order.js')).href,
)};
takeDefaultLocaleFrom(process.env);
const names = JSON.parse(process.argv[1]);
process.stdout.write(JSON.stringify({
  icu: [...names].sort((a, b) => a.localeCompare(b)),
  ours: [...names].sort(compareNames),
  locale: new Intl.Collator().resolvedOptions().locale,
}));`;

describe('names in the order localeCompare gives them', () => {
  it('compares every pair as localeCompare does in this process', () => {
    takeDefaultLocaleFrom(process.env);
    const all = names();
    const differing = all.flatMap((a) =>
      all.filter((b) => compareNames(a, b) !== a.localeCompare(b)).map((b) => `${a} ${b}`),
    );
    expect(differing).toEqual([]);
  });

  it('sorts as ICU under each locale it takes a short cut for, and under one that orders otherwise', () => {
    const variants = [
      {},
      { LANG: 'C' },
      { LANG: 'POSIX' },
      { LANG: 'C.UTF-8' },
      { LANG: 'C.utf8' },
      { LANG: 'en_US.UTF-8' },
      { LANG: 'en_US.utf8' },
      { LC_ALL: 'C.UTF-8', LANG: 'da_DK.UTF-8' },
      { LANG: 'da_DK' },
      { LANG: 'C.UTF-8', LC_MESSAGES: 'da_DK' },
      { LANG: 'da_DK', LC_ALL: '' },
    ];
    for (const env of variants) {
      const run = JSON.parse(
        execFileSync(process.execPath, ['--input-type=module', '-e', SCRIPT, JSON.stringify(names())], {
          env: { PATH: process.env.PATH, ...env },
          encoding: 'utf8',
        }),
      ) as { icu: string[]; ours: string[]; locale: string };
      expect(run.ours, JSON.stringify(env)).toEqual(run.icu);
      // The one variant that is Danish: "aa" is "å" there, after "z" (so the short cut must not have been taken).
      if (JSON.stringify(env) === '{"LANG":"da_DK"}')
        expect(run.icu.indexOf('aa')).toBeGreaterThan(run.icu.indexOf('z'));
    }
  });
});
