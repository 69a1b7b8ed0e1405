/**
 * CSV export throughput and memory: 1,000,000 journal lines (500,000 two-line
 * entries from a generator) in the generic format, written to a Writable that
 * only counts bytes; against csv-stringify alone fed the same rows already
 * formatted, in the same process, so the ratio is ours ÷ raw time. The two run
 * in alternation for a few rounds and the fastest round of each counts, which
 * keeps the ratio steady on a busy machine. Peak RSS is sampled every 10 ms.
 *
 *   npm run build && node bench/export.bench.mjs
 */
import { performance } from 'node:perf_hooks';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { stringify } from 'csv-stringify';
import { GENERIC_COLUMNS, exportCsv } from '../dist/src/destinations/csv/index.js';
import { sized } from './support/bench-size.mjs';

const ENTRY_COUNT = sized(undefined, 500_000, 2000);
const WARM_UP_ENTRIES = sized(undefined, 20_000, 200);
const ROUNDS = sized(undefined, 3, 1);
const RSS_SAMPLE_MS = 10;
const chart = { smm_services_expense: { name: 'SMM services expense' }, panel_prepaid: { name: 'Panel prepaid' } };

function centsOf(index) {
  return 100 + (index % 9_900);
}

function* entries(count) {
  for (let index = 0; index < count; index += 1) {
    const cents = BigInt(centsOf(index));
    yield {
      id: `je:bench:${index}`,
      date: '2026-03-02',
      sourceId: 'smm-panel',
      description: `SMM panel order ${index}`,
      eventIds: [`panel:smm-panel:order:${index}:charge:2026-03-02`],
      lines: [
        { account: 'smm_services_expense', currency: 'USD', cents },
        { account: 'panel_prepaid', currency: 'USD', cents: -cents },
      ],
    };
  }
}

/** The rows the generic export writes for entries(count), formatted by hand: the baseline does no work of ours. */
function* rawRows(count) {
  for (let index = 0; index < count; index += 1) {
    const cents = centsOf(index);
    const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
    const id = `je:bench:${index}`;
    const description = `SMM panel order ${index}`;
    const ref = `panel:smm-panel:order:${index}:charge:2026-03-02`;
    yield [id, '2026-03-02', 'smm_services_expense', amount, '', 'USD', description, 'smm-panel', ref];
    yield [id, '2026-03-02', 'panel_prepaid', '', amount, 'USD', description, 'smm-panel', ref];
  }
}

function byteCounter() {
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      sink.bytes += chunk.length;
      callback();
    },
  });
  sink.bytes = 0;
  return sink;
}

async function measured(work) {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, RSS_SAMPLE_MS);
  const started = performance.now();
  try {
    const bytes = await work();
    const ms = performance.now() - started;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    return { ms, bytes, peakRss };
  } finally {
    clearInterval(sampler);
  }
}

async function ours(count) {
  const out = byteCounter();
  await exportCsv({ format: 'generic', entries: entries(count), out, mappings: { chart } });
  return out.bytes;
}

async function raw(count) {
  const out = byteCounter();
  await pipeline(
    Readable.from(rawRows(count)),
    stringify({ header: true, columns: [...GENERIC_COLUMNS], record_delimiter: '\r\n', quote_record_delimiter: true }),
    out,
  );
  return out.bytes;
}

const MB = 1024 * 1024;

export async function run({ entryCount = ENTRY_COUNT, rounds = ROUNDS } = {}) {
  const rssAtStart = process.memoryUsage().rss;
  await raw(WARM_UP_ENTRIES);
  await ours(WARM_UP_ENTRIES);
  const baselineRounds = [];
  const oursRounds = [];
  for (let round = 0; round < rounds; round += 1) {
    baselineRounds.push(await measured(() => raw(entryCount)));
    oursRounds.push(await measured(() => ours(entryCount)));
  }
  const bytes = new Set([...baselineRounds, ...oursRounds].map((result) => result.bytes));
  if (bytes.size !== 1) throw new Error(`the exports differ in size: ${[...bytes].join(', ')} bytes`);
  const rawMs = Math.min(...baselineRounds.map((result) => result.ms));
  const oursMs = Math.min(...oursRounds.map((result) => result.ms));
  const peakRssRaw = Math.max(...baselineRounds.map((result) => result.peakRss));
  const peakRssOurs = Math.max(...oursRounds.map((result) => result.peakRss));
  const lines = entryCount * 2;
  return {
    name: 'export',
    metrics: {
      lines,
      bytes: [...bytes][0],
      rounds,
      oursMs: Math.round(oursMs),
      rawMs: Math.round(rawMs),
      timeRatio: Number((oursMs / rawMs).toFixed(2)),
      oursLinesPerSecond: Math.round(lines / (oursMs / 1000)),
      rssAtStartMb: Math.round(rssAtStart / MB),
      peakRssMb: Math.round(Math.max(peakRssRaw, peakRssOurs) / MB),
      peakRssRawMb: Math.round(peakRssRaw / MB),
      peakRssOursMb: Math.round(peakRssOurs / MB),
    },
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { name, metrics } = await run();
  console.log(`${name}: ${metrics.lines.toLocaleString('en-US')} lines, ${(metrics.bytes / MB).toFixed(1)} MB of CSV`);
  console.log(
    `  fastest of ${metrics.rounds} rounds: ours ${metrics.oursMs} ms (${metrics.oursLinesPerSecond.toLocaleString('en-US')} lines/s), raw csv-stringify ${metrics.rawMs} ms, ratio ours/raw ${metrics.timeRatio}`,
  );
  console.log(
    `  RSS ${metrics.rssAtStartMb} MB at start, peak ${metrics.peakRssMb} MB (during raw rounds ${metrics.peakRssRawMb} MB, during ours ${metrics.peakRssOursMb} MB)`,
  );
}
