import { fetch } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FaultQueue,
  ReplayCache,
  RequestLog,
  jsonReply,
  openExchange,
  requestLine,
  serveFake,
  type DeliveryFault,
  type FakeReply,
  type RunningFake,
} from '../../sandbox/fake-kit/index.js';
import {
  JsonNumber,
  centsJson,
  isJsonNumberLiteral,
  jsonText,
  objectText,
  quotedText,
} from '../../sandbox/json-text.js';
import type { SandboxMount } from '../../sandbox/mount.js';

type TestFault = { kind: 'teapot' } | DeliveryFault;

/** A one-route fake: it "commits" each request (counts it) and answers 200 with the count, through the shared exchange. */
function counterFake(faults: FaultQueue<TestFault>, log: RequestLog) {
  let committed = 0;
  const mount: SandboxMount & { committed(): number } = {
    prefix: '/counter',
    committed: () => committed,
    async handle(request, response, subPath) {
      const { method, logPath } = requestLine(request, subPath);
      const injected = (fault: TestFault): FakeReply | DeliveryFault =>
        fault.kind === 'teapot' ? jsonReply(418, { error: 'teapot' }) : fault;
      const exchange = await openExchange({
        request,
        response,
        method,
        logPath,
        log,
        fault: faults.take('write'),
        injected,
      });
      if (!exchange) return;
      committed += 1;
      await exchange.deliver({ reply: jsonReply(200, { committed }), note: `committed ${committed}` });
    },
  };
  return mount;
}

let running: (RunningFake<ReturnType<typeof counterFake>> & { url: string }) | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe("the fakes' shared request plumbing", () => {
  it('answers an injected reply at once, cuts the connection before or after the commit, and logs each', async () => {
    const faults = new FaultQueue<TestFault>();
    const log = new RequestLog(() => 1_000);
    running = await serveFake(counterFake(faults, log), (origin) => ({ url: `${origin}/counter/add?n=1` }));
    const post = () =>
      fetch(running!.url, { method: 'POST' }).then(
        async (response) => [response.status, await response.text()] as const,
        () => 'cut',
      );
    faults.add({ kind: 'teapot' });
    faults.add({ kind: 'drop-before-commit' });
    faults.add({ kind: 'drop-after-commit' });
    expect([await post(), await post(), await post(), await post()]).toEqual([
      [418, '{"error":"teapot"}'],
      'cut',
      'cut',
      [200, '{"committed":2}'],
    ]);
    expect(running.fake.committed()).toBe(2);
    expect(log.entries().map((entry) => [entry.path, entry.outcome, entry.note])).toEqual([
      ['/add?n=1', 418, 'injected teapot'],
      ['/add?n=1', 'dropped', 'injected drop before processing'],
      ['/add?n=1', 'dropped', 'committed 1; injected drop after commit'],
      ['/add?n=1', 200, 'committed 2'],
    ]);
  });

  it('holds a reply back after processing unless told to wait before it', async () => {
    const faults = new FaultQueue<TestFault>();
    running = await serveFake(counterFake(faults, new RequestLog(() => 0)), (origin) => ({
      url: `${origin}/counter/add`,
    }));
    faults.add({ kind: 'slow', delayMs: 150 });
    let answered = false;
    const slow = fetch(running.url, { method: 'POST' }).then((response) => {
      answered = true;
      return response.status;
    });
    for (let polls = 0; polls < 4_000 && running.fake.committed() === 0; polls += 1)
      await new Promise((resolve) => setTimeout(resolve, 5));
    expect([running.fake.committed(), answered]).toEqual([1, false]);
    expect(await slow).toBe(200);
  });

  it('replays the first reply to a key, saying whether the repeat carried the same body', () => {
    const cache = new ReplayCache();
    const first = jsonReply(200, { id: 1 });
    expect(cache.replay('k', Buffer.from('{"a":1}'))).toBeUndefined();
    cache.remember('k', Buffer.from('{"a":1}'), first);
    expect([cache.replay('k', Buffer.from('{"a":1}')), cache.replay('k', Buffer.from('{"a":2}'))]).toEqual([
      { reply: first, sameBody: true },
      { reply: first, sameBody: false },
    ]);
  });
});

describe('exact JSON text', () => {
  it('writes number literals verbatim, leaves out undefined fields and writes an undefined list item as null', () => {
    expect(
      jsonText({
        Amount: centsJson(-1005n),
        Zero: centsJson(0n),
        Big: new JsonNumber('12345678901234567.89'),
        gone: undefined,
        list: [1, undefined, 'x'],
      }),
    ).toBe('{"Amount":-10.05,"Zero":0.00,"Big":12345678901234567.89,"list":[1,null,"x"]}');
  });

  it('writes what holds no JsonNumber exactly as JSON.stringify does', () => {
    const reply = {
      '1001': {
        charge: '0.90',
        status: 'Pending',
        remains: '0',
        nested: [{ a: null, b: true, c: 'q"uote\\' }, [], {}],
      },
      empty: '',
      '': 0,
      n: -1.5,
    };
    expect(jsonText(reply)).toBe(JSON.stringify(reply));
    expect(jsonText([[], {}, 'x', 1])).toBe('[[],{},"x",1]');
  });

  it('quotes text exactly as JSON.stringify does, escapes and all', () => {
    const texts = [
      '',
      'Pending',
      '0.90000',
      'In progress',
      'q"uote',
      'back\\slash',
      'tab\there',
      '\u0000\u001f\u007f',
      'ü',
      '€',
      '\ud800 lone',
      '😀',
      '</script>',
    ];
    expect(texts.map(quotedText)).toEqual(texts.map((text) => JSON.stringify(text)));
  });

  it('writes an object of JSON texts with its keys in the order a JavaScript object lists them', () => {
    const cases = [
      ['23503', '999', '1000001', '0'],
      ['999', 'ord_7', '23501', '4294967295', '4294967294', '10000000000', '007', '-1', 'x"y', '__proto__', 'error'],
      ['b', 'a'],
      [],
    ];
    for (const keys of cases) {
      const object: Record<string, unknown> = {};
      for (const [index, key] of keys.entries()) object[key] = { n: index };
      expect(objectText(keys.map((key, index) => ({ key, text: jsonText({ n: index }) })))).toBe(
        JSON.stringify(object),
      );
    }
  });

  it('refuses what is not a plain JSON number literal, and a bare bigint', () => {
    expect(['-10.05', '0', '50'].map(isJsonNumberLiteral)).toEqual([true, true, true]);
    expect(['01.5', '1.', '1e3', '+1', ''].map(isJsonNumberLiteral)).toEqual([false, false, false, false, false]);
    expect(() => new JsonNumber('01.5')).toThrow(new RangeError('not a JSON number literal: "01.5"'));
    expect(() => jsonText({ amount: 5n })).toThrow(new TypeError('bigint must be wrapped in JsonNumber'));
  });
});
