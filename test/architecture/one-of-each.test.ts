import { describe, expect, it } from 'vitest';
import { files, type SourceFile } from './source-tree.js';

/** One retry loop, one retry decision, one throttle, one ISO reader, one calendar-date schema. */

/** The one retry loop and the one throttle module: the only code of ours that sleeps (clock.ts defines the sleep). */
const SLEEPERS = ['http/retry-loop.ts', 'http/throttle.ts', 'http/clock.ts'];
/** A sleep on the injected clock, or one built from setTimeout: the makings of a retry loop or a rate limiter. */
const SLEEPS = /\.sleep\(|new Promise[^;]*setTimeout\(\s*resolve/;

/** Files outside the retry loop and the throttle module that sleep. The sandbox is exempt: it plays the servers, their delays included. */
function sleepsOutsideTheOneLoop(tree: readonly SourceFile[]): string[] {
  return tree
    .filter((file) => file.area !== 'sandbox' && !SLEEPERS.includes(file.path) && SLEEPS.test(file.text))
    .map((file) => `${file.path} sleeps`);
}

/** A date pattern in a regular expression: \d{4}-\d{2}, with or without capture groups. */
const DATE_PATTERN = /\\d\{4\}\)?-\(?\\d\{2\}/;

/** Files outside src/calendar that read dates with a regex of their own (the sandbox plays the vendors, and reads as they do). */
function datePatternsOutsideCalendar(tree: readonly SourceFile[]): string[] {
  return tree
    .filter((file) => !['calendar', 'sandbox'].includes(file.area) && DATE_PATTERN.test(file.text))
    .map((file) => `${file.path} has a date regex`);
}

/** Names that must be defined once in src/ (the sandbox's fakes keep their own vendor types), compared case-insensitively so "QuickBooksFault" counts as a second "QuickbooksFault". */
const DEFINED_ONCE = [
  'assertNever',
  'QuickbooksFault',
  'CalendarDateSchema',
  'readIsoDateTime',
  'retryLoop',
  'createRateLimiter',
  'createCallWindow',
  'createInFlightLimit',
];

function definitionsOf(tree: readonly SourceFile[]): Map<string, string[]> {
  const found = new Map(DEFINED_ONCE.map((name) => [name.toLowerCase(), [] as string[]]));
  for (const file of tree.filter((candidate) => candidate.area !== 'sandbox')) {
    // A definition, not a mention: `type X,` inside an import list is followed by neither `=`, `(`, `<`, `:`, `{` nor extends.
    for (const match of file.text.matchAll(
      /\b(?:function|const|let|interface|type|class)\s+([A-Za-z_$][\w$]*)\s*(?:[=(<:{]|extends\b)/g,
    )) {
      found.get(match[1]!.toLowerCase())?.push(file.path);
    }
  }
  return found;
}

function definedMoreOrLessThanOnce(tree: readonly SourceFile[]): string[] {
  return [...definitionsOf(tree)]
    .filter(([, paths]) => paths.length !== 1)
    .map(([name, paths]) => `${name}: ${paths.length === 0 ? 'not defined' : paths.join(', ')}`);
}

describe('one retry loop, one throttle, one ISO reader, one calendar-date schema', () => {
  it('only src/http/retry-loop.ts and src/http/throttle.ts sleep', () => {
    expect(sleepsOutsideTheOneLoop(files)).toEqual([]);
  });

  it('no date regex outside src/calendar', () => {
    expect(datePatternsOutsideCalendar(files)).toEqual([]);
  });

  it('assertNever, the QuickBooks fault type, the date schema, the ISO reader, the retry loop and each throttle are defined once', () => {
    expect(definedMoreOrLessThanOnce(files)).toEqual([]);
  });

  it('the rules catch a planted violation of each kind', () => {
    const planted: SourceFile[] = [
      {
        path: 'destinations/planted-retry.ts',
        area: 'destinations',
        text: 'for (;;) { if (ok) break; await clock.sleep(backoff); }',
        imports: [],
      },
      {
        path: 'sources/planted-sleep.ts',
        area: 'sources',
        text: 'await new Promise((resolve) => setTimeout(resolve, 500));',
        imports: [],
      },
      { path: 'http/throttle.ts', area: 'http', text: 'await clock.sleep(waitMs);', imports: [] },
      { path: 'sandbox/planted-delay.ts', area: 'sandbox', text: 'await clock.sleep(latency);', imports: [] },
      {
        path: 'sources/planted-date.ts',
        area: 'sources',
        text: 'const DATE = /^(\\d{4})-(\\d{2})-(\\d{2})$/;',
        imports: [],
      },
      {
        path: 'config/planted-schema.ts',
        area: 'config',
        text: 'z.string().regex(/^\\d{4}-\\d{2}-\\d{2}$/)',
        imports: [],
      },
      {
        path: 'calendar/calendar-date.ts',
        area: 'calendar',
        text: 'const DATE_TEXT = /^(\\d{4})-(\\d{2})-(\\d{2})$/;',
        imports: [],
      },
      {
        path: 'rules/assert-never.ts',
        area: 'rules',
        text: 'export function assertNever(value: never): never {}',
        imports: [],
      },
      {
        path: 'pipeline/planted-never.ts',
        area: 'pipeline',
        text: 'function assertNever(value: never): never {}',
        imports: [],
      },
      {
        path: 'destinations/quickbooks/quickbooks-wire.ts',
        area: 'destinations',
        text: 'export type QuickbooksFault = {};',
        imports: [],
      },
      {
        path: 'destinations/quickbooks/planted-fault.ts',
        area: 'destinations',
        text: 'interface QuickBooksFault {}',
        imports: [],
      },
    ];
    expect(sleepsOutsideTheOneLoop(planted)).toEqual([
      'destinations/planted-retry.ts sleeps',
      'sources/planted-sleep.ts sleeps',
    ]);
    expect(datePatternsOutsideCalendar(planted)).toEqual([
      'sources/planted-date.ts has a date regex',
      'config/planted-schema.ts has a date regex',
    ]);
    const twice = definedMoreOrLessThanOnce(planted);
    expect(twice).toContain('assertnever: rules/assert-never.ts, pipeline/planted-never.ts');
    expect(twice).toContain(
      'quickbooksfault: destinations/quickbooks/quickbooks-wire.ts, destinations/quickbooks/planted-fault.ts',
    );
  });
});

/** Deciding a retry by hand: building the loop's wait, asking the resend or Retry-After rules, or reading 429 or a 5xx. */
const DECIDES_A_RETRY =
  /kind:\s*'wait'|\b(maySendAgain|RETRYABLE_STATUSES|parseRetryAfter)\b|status\s*[!=]==?\s*429|status\s*>=?\s*5\d\d/;

/** Files outside src/http that decide a retry themselves, or run the retry loop without asking decideRetry what each attempt means. */
function retryDecisionsOutsideHttp(tree: readonly SourceFile[]): string[] {
  return tree
    .filter((file) => file.area !== 'http' && file.area !== 'sandbox')
    .flatMap((file) => [
      ...(DECIDES_A_RETRY.test(file.text) ? [`${file.path} decides a retry`] : []),
      ...(/\bretryLoop\(/.test(file.text) && !/\bdecideRetry\(/.test(file.text)
        ? [`${file.path} retries without decideRetry`]
        : []),
    ]);
}

describe('one retry decision', () => {
  it('only src/http decides what is worth another try (decideRetry); clients configure waits, polls use pollUntil', () => {
    expect(retryDecisionsOutsideHttp(files)).toEqual([]);
  });

  it('the rule catches a planted violation of each kind, and leaves src/http and the sandbox alone', () => {
    const planted: SourceFile[] = [
      {
        path: 'destinations/planted-wait.ts',
        area: 'destinations',
        text: "return { kind: 'wait', waitMs: 60_000, failure, reason };",
        imports: [],
      },
      {
        path: 'sources/planted-status.ts',
        area: 'sources',
        text: 'if (reply.status === 429) return again();',
        imports: [],
      },
      {
        path: 'alerts/planted-5xx.ts',
        area: 'alerts',
        text: 'if (failure.status >= 500 && maySendAgain(failure, true)) retry();',
        imports: [],
      },
      {
        path: 'pipeline/planted-poll.ts',
        area: 'pipeline',
        text: 'await retryLoop(async () => look(), limits);',
        imports: [],
      },
      {
        path: 'http/retry-decision.ts',
        area: 'http',
        text: "if (status !== 429) return { kind: 'wait' };",
        imports: [],
      },
      { path: 'sandbox/planted-fake.ts', area: 'sandbox', text: 'if (status === 429) wait();', imports: [] },
      {
        path: 'destinations/planted-client.ts',
        area: 'destinations',
        text: 'return retryLoop(async (n) => attemptResult(decideRetry(exchange, context, waits), read, wording), options);',
        imports: [],
      },
    ];
    expect(retryDecisionsOutsideHttp(planted)).toEqual([
      'destinations/planted-wait.ts decides a retry',
      'sources/planted-status.ts decides a retry',
      'alerts/planted-5xx.ts decides a retry',
      'pipeline/planted-poll.ts retries without decideRetry',
    ]);
  });
});

/** A tax rate's scale: 100 % written at a scale (100n * 10n ** …), a rate read at four decimals, or a rate constant of 4. */
const TAX_RATE_SCALE =
  /\b100n\s*\*\s*10n\s*\*\*|\bparseScaled\([^()]*,\s*4\s*\)|\b(?:const|let)\s+\w*RATE\w*\s*=\s*4\b/;
/** The inclusive-tax formula: a division by a hundred percent plus the rate (amount × rate / (100 % + rate)). */
const INCLUSIVE_TAX = /\w*HUNDRED\w*\s*\+\s*\w+|\w+\s*\+\s*\w*HUNDRED\w*|\(\s*100n?\s*\+\s*\w+\s*\)/i;

/** The files of src/ whose code (comments left out) matches `pattern`; the sandbox's fakes compute as the vendors do. */
function filesWith(tree: readonly SourceFile[], pattern: RegExp): string[] {
  return tree
    .filter((file) => file.area !== 'sandbox')
    .filter((file) => pattern.test(file.text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')))
    .map((file) => file.path);
}

describe('one tax rate', () => {
  it('the rate scale and the inclusive-tax formula are written in src/rules/tax/tax-rate.ts only', () => {
    expect(filesWith(files, TAX_RATE_SCALE)).toEqual(['rules/tax/tax-rate.ts']);
    expect(filesWith(files, INCLUSIVE_TAX)).toEqual(['rules/tax/tax-rate.ts']);
  });

  it('the rules catch a planted copy of each, and leave the sandbox and comments alone', () => {
    const planted: SourceFile[] = [
      {
        path: 'destinations/planted-scale.ts',
        area: 'destinations',
        text: 'const HUNDRED = 100n * 10n ** BigInt(4);',
        imports: [],
      },
      { path: 'reads/planted-parse.ts', area: 'reads', text: 'const rate = parseScaled(percent, 4);', imports: [] },
      { path: 'rules/planted-digits.ts', area: 'rules', text: 'const RATE_DIGITS = 4;', imports: [] },
      {
        path: 'destinations/planted-inclusive.ts',
        area: 'destinations',
        text: 'return divideHalfEven(cents * rate, HUNDRED_PERCENT + rate);',
        imports: [],
      },
      {
        path: 'reads/planted-literal.ts',
        area: 'reads',
        text: 'const tax = (gross * rate) / (100 + rate);',
        imports: [],
      },
      {
        path: 'sandbox/xero/planted-fake.ts',
        area: 'sandbox',
        text: 'const HUNDRED_PERCENT = 100n * 10n ** BigInt(4); divideHalfEven(cents * rate, HUNDRED_PERCENT + rate);',
        imports: [],
      },
      {
        path: 'destinations/planted-comment.ts',
        area: 'destinations',
        text: '/** The tax inside: gross × rate / (100 + rate), tax-rate.ts. */\n// 100n * 10n ** 4',
        imports: [],
      },
    ];
    expect(filesWith(planted, TAX_RATE_SCALE)).toEqual([
      'destinations/planted-scale.ts',
      'reads/planted-parse.ts',
      'rules/planted-digits.ts',
    ]);
    expect(filesWith(planted, INCLUSIVE_TAX)).toEqual([
      'destinations/planted-inclusive.ts',
      'reads/planted-literal.ts',
    ]);
  });
});
