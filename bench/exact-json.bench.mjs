/**
 * The two pure functions a first import runs for every order (issue 12's
 * profile: ~2.3 s of ~20 s at 200,000 orders): parseJsonExact on each panel
 * reply and toStoredJson on each order state and event detail. Baseline, in
 * the same process: the implementations they replaced (git d3b344c),
 * bench/support/replaced-json.mjs. Each pair runs in alternation for ROUNDS rounds and the fastest
 * round of each counts, which keeps the ratio steady on a busy machine; every
 * output is first checked equal to the baseline's.
 *
 * Replies are 100-order status replies as the sandbox's flavours write them:
 * amounts as text (the seed, SmartPanel), amounts and counts as JSON numbers
 * (a PHP panel's json_encode), and text amounts with a time of day in each
 * entry ("12:30,"-like text inside strings sends the reply down the exact path).
 *
 * Measured 23 Nov 2026 (load 5-7 on 2 cores, other helpers' tests running), new ÷ old:
 * replies with text amounts 0.69 (JSON.parse alone is 0.58: the floor of any
 * parse), with JSON-number amounts 0.92, text with times 0.79; order states
 * 0.85, event details 0.82. In a CPU profile of the first import of 50,000
 * orders (orders-import.bench.mjs with --cpu-prof), parseJsonExact went from
 * 303 to 257 ms (55 of them the test for a bare number) and toStoredJson from
 * 432 to 280 ms. Tried and dropped: a regex that tokenizes strings and numbers
 * for String.replace with a callback (1.2-1.8x the old time), and one sticky
 * regex replaced with '$1"$2"' (0.65-0.7 on JSON-number replies but 1.2x on
 * text replies, and it backtracks over a long tail); a hand-written
 * serializer for toStoredJson (0.9-1.0: native JSON.stringify of a copy wins).
 *
 *   npm run build && node bench/exact-json.bench.mjs
 */
import { isDeepStrictEqual } from 'node:util';
import { parseJsonExact } from '../dist/src/money/index.js';
import { toStoredJson } from '../dist/src/rules/index.js';
import { oldParseJsonExact, oldStoredJson } from './support/replaced-json.mjs';
import { runWhenMain, sized } from './support/bench-size.mjs';

const ROUNDS = sized('BENCH_ROUNDS', 15, 1);
const REPLIES = sized(undefined, 200, 5);
const STATES = sized(undefined, 10_000, 100);

/** A 100-order status reply from order id `first` on, so each reply differs. */
function statusReply(shape, first) {
  const entries = [];
  for (let index = 0; index < 100; index += 1) {
    const id = first + index;
    const remains = (id * 37) % 1000;
    const entry =
      shape === 'numbers'
        ? `{"charge":0.0${435789 + index},"start_count":${3572 + index},"status":"Partial","remains":${remains},"currency":"USD"}`
        : `{"charge":"0.${27819 + index}","start_count":"${3572 + index}","status":"In progress","remains":"${remains}","currency":"USD"${
            shape === 'times' ? `,"created":"2026-03-02 12:${10 + (index % 50)}:00"` : ''
          }}`;
    entries.push(`"${id}":${entry}`);
  }
  return `{${entries.join(',')}}`;
}

function orderState(index) {
  return {
    orderId: String(23_501 + index),
    currency: 'USD',
    bookedNetMicros: BigInt(758_700 + index),
    firstChargeMicros: BigInt(900_000 + index),
    statusNormalized: 'partial',
    statusRaw: 'Partial',
    terminal: index % 2 === 0,
    baseline: false,
    lastObservedOn: '2026-03-02',
    eventSequence: { date: '2026-03-02', count: index % 5 },
  };
}

function eventDetail(index) {
  return {
    status: 'Partial',
    statusNormalized: 'partial',
    reportedCharge: `0.${27819 + index}`,
    remains: String(157 + (index % 900)),
    quantity: '1000',
    bookedBefore: '0.9',
    netCharge: '0.7587',
    computed: 'pro-rata',
  };
}

function elapsedMs(work, inputs) {
  const started = performance.now();
  for (const input of inputs) work(input);
  return performance.now() - started;
}

/** old and new in alternation; the fastest round of each. */
function compare(oldWork, newWork, inputs) {
  let oldMs = Infinity;
  let newMs = Infinity;
  for (let round = 0; round < ROUNDS; round += 1) {
    oldMs = Math.min(oldMs, elapsedMs(oldWork, inputs));
    newMs = Math.min(newMs, elapsedMs(newWork, inputs));
  }
  return { oldMs, newMs };
}

function checkSame(oldWork, newWork, inputs, same) {
  for (const input of inputs)
    if (!same(oldWork(input), newWork(input)))
      throw new Error(`the new output differs from the old for ${String(input).slice(0, 80)}`);
}

export async function run() {
  const metrics = { rounds: ROUNDS };
  for (const [shape, words] of [
    ['strings', 'amounts as text'],
    ['numbers', 'amounts as JSON numbers'],
    ['times', 'amounts as text, times in text'],
  ]) {
    const replies = Array.from({ length: REPLIES }, (_, index) => statusReply(shape, 23_501 + index * 100));
    checkSame(oldParseJsonExact, parseJsonExact, replies, isDeepStrictEqual);
    const { oldMs, newMs } = compare(oldParseJsonExact, parseJsonExact, replies);
    metrics[`parseJsonExact, ${words}: old / new ms per ${REPLIES} replies`] =
      `${oldMs.toFixed(1)} / ${newMs.toFixed(1)}`;
    metrics[`parseJsonExact, ${words}: new ÷ old (time, lower is better)`] = (newMs / oldMs).toFixed(2);
    metrics[`parseJsonExact, ${words}: JSON.parse alone ÷ old (a bound: it keeps no number exact)`] = (
      compare(oldParseJsonExact, JSON.parse, replies).newMs / oldMs
    ).toFixed(2);
  }
  for (const [kind, make] of [
    ['order state', orderState],
    ['event detail', eventDetail],
  ]) {
    const values = Array.from({ length: STATES }, (_, index) => make(index));
    checkSame(oldStoredJson, toStoredJson, values, (a, b) => a === b);
    const { oldMs, newMs } = compare(oldStoredJson, toStoredJson, values);
    metrics[`toStoredJson, ${kind}: old / new ms per ${STATES}`] = `${oldMs.toFixed(1)} / ${newMs.toFixed(1)}`;
    metrics[`toStoredJson, ${kind}: new ÷ old (time, lower is better)`] = (newMs / oldMs).toFixed(2);
  }
  return { name: 'exact-json', metrics };
}

await runWhenMain(import.meta.url, run);
