// What a Node process cannot do for less, on transit.bench.mjs's world (issue 72 item 5): `node transit-floor.mjs
// LEDGER AS_OF reads` runs the transit's own two reads through better-sqlite3 as the store runs them (readsSql) and
// writes their rows as JSON, judging nothing; `… judged` judges the world's payouts in one pass of the least work
// that gives the transit's `--json` byte for byte (the bench checks it): one query of the items in day order with
// the lines of their exact amount, the lines whose text could name an item read once, each day's items in locale
// order, a line settling one item, the report written 500 items at a time. It knows only what the world holds
// (EUR payouts with no bank words, nothing cleared, accepted, matched by hand or at a destination, every unmatched
// item older than its alert days): a floor to measure against, not a second transit.
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const KINDS = `('payout_paypal', 'payout_razorpay', 'payout_wire', 'panel_topup')`;

/** The transit's reads as the store makes them of a narrowed reach: the items, then the union of the lines of their exact amounts and the lines whose text holds a colon. */
export const readsSql = (asOf) => [
  `SELECT e.id, e.kind, e.source_id, e.amount_micros, e.currency, e.date, ee.entry_id FROM source_events e
    LEFT JOIN entry_events ee ON ee.event_id = e.id WHERE e.kind IN ${KINDS} ORDER BY e.date, e.id`,
  `SELECT account, line_id, booked_on, amount_micros, reference, description, statement_sha256 FROM bank_lines
    WHERE currency = 'EUR' AND booked_on <= '${asOf}' AND amount_micros IN (SELECT amount_micros FROM source_events WHERE kind IN ${KINDS})
   UNION SELECT account, line_id, booked_on, amount_micros, reference, description, statement_sha256 FROM bank_lines
    WHERE currency = 'EUR' AND booked_on <= '${asOf}' AND amount_micros > 0 AND (reference LIKE '%:%' OR description LIKE '%:%')
   ORDER BY booked_on, account, line_id`,
];

const write = (text) => process.stdout.write(text);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [ledger, asOf, mode] = process.argv.slice(2);
  const db = new Database(ledger, { readonly: true });
  // The amounts as numbers for the rows written as they are (JSON has no bigint), as bigints for the judging.
  db.defaultSafeIntegers(mode !== 'reads');
  if (mode === 'reads') writeReads(db, asOf);
  else judged(db, asOf);
}

/** The reads' rows as JSON, 500 rows at a time. */
function writeReads(db, asOf) {
  for (const sql of readsSql(asOf)) {
    let rows = [];
    for (const row of db.prepare(sql).raw(true).iterate()) {
      rows.push(row);
      if (rows.length < 500) continue;
      write(JSON.stringify(rows));
      rows = [];
    }
    write(JSON.stringify(rows));
  }
}

/** The report of the least judging that gives the transit's, byte for byte, on the bench's world. */
function judged(db, asOf) {
  const windowDays = 10;
  const toleranceMicros = 25_000_000n;
  const itemIds = new Set();
  for (const id of db.prepare(`SELECT id FROM source_events WHERE kind IN ${KINDS}`).pluck().iterate())
    itemIds.add(id.toLowerCase());
  const shapes = new Map();
  for (const id of itemIds) {
    const colon = id.indexOf(':');
    if (colon >= 0)
      shapes.set(`${id.length}:${id.slice(0, colon)}`, { firstWord: id.slice(0, colon), length: id.length });
  }
  const idsWithin = (texts) => {
    let ids;
    for (const text of texts)
      for (let colon = text.indexOf(':'); colon >= 0; colon = text.indexOf(':', colon + 1))
        for (const { firstWord, length } of shapes.values()) {
          const start = colon - firstWord.length;
          if (start < 0 || start + length > text.length) continue;
          if (!text.startsWith(firstWord, start) && text.slice(start, colon).toLowerCase() !== firstWord) continue;
          const word = text.slice(start, start + length).toLowerCase();
          if (itemIds.has(word)) (ids ??= []).includes(word) || ids.push(word);
        }
    return ids;
  };
  // The lines whose text could name an item: by key (an exact line's claims), and by the item each names.
  const naming = new Map();
  const namedBy = new Map();
  const namingLines = db.prepare(
    `SELECT account, line_id, booked_on, amount_micros, reference, description FROM bank_lines
      WHERE currency = 'EUR' AND booked_on <= ? AND (reference LIKE '%:%' OR description LIKE '%:%') ORDER BY booked_on`,
  );
  for (const [account, lineId, bookedOn, amountMicros, reference, description] of namingLines.raw(true).iterate(asOf)) {
    const claims = idsWithin([reference, description]);
    if (claims === undefined) continue;
    const line = { key: `${account}:${lineId}`, bookedOn, amountMicros, reference, claims };
    naming.set(line.key, line);
    for (const id of claims) namedBy.has(id) ? namedBy.get(id).push(line) : namedBy.set(id, [line]);
  }
  const settled = new Set();
  const collator = new Intl.Collator();
  const dayMs = 86_400_000;
  const money = (micros) => {
    const text = String(micros < 0n ? -micros : micros).padStart(7, '0');
    return `${micros < 0n ? '-' : ''}${text.slice(0, -6)}.${text.slice(-6, -4)}`;
  };
  let chunk = [];
  let chunks = 0;
  const flush = () => {
    write(`${chunks++ === 0 ? '[\n' : ',\n'}${JSON.stringify([chunk], null, 2).slice(6, -6)}`);
    chunk = [];
  };
  const judgeDay = (day, items) => {
    items.sort((a, b) => collator.compare(a.id, b.id));
    const windowEnd = new Date(Date.parse(day) + windowDays * dayMs).toISOString().slice(0, 10);
    const ageDays = Math.round((Date.parse(asOf) - Date.parse(day)) / dayMs);
    for (const item of items) {
      const id = item.id.toLowerCase();
      let best = [];
      let bestOn;
      let bestNamed;
      for (const line of item.exact) {
        if (settled.has(line.key)) continue;
        const claims = line.colon ? naming.get(line.key)?.claims : undefined;
        const named = claims?.includes(id) === true;
        if (!named && claims !== undefined) continue;
        const order =
          bestOn === undefined
            ? -1
            : line.bookedOn !== bestOn
              ? line.bookedOn < bestOn
                ? -1
                : 1
              : +bestNamed - +named;
        if (order < 0) [best, bestOn, bestNamed] = [[line], line.bookedOn, named];
        else if (order === 0) best.push(line);
      }
      if (best.length === 0) {
        let bestOff;
        for (const line of namedBy.get(id) ?? []) {
          const off =
            line.amountMicros > item.amountMicros
              ? line.amountMicros - item.amountMicros
              : item.amountMicros - line.amountMicros;
          if (line.bookedOn < day || line.bookedOn > windowEnd || off > toleranceMicros || settled.has(line.key))
            continue;
          const order =
            bestOff === undefined
              ? -1
              : off !== bestOff
                ? off < bestOff
                  ? -1
                  : 1
                : line.bookedOn < bestOn
                  ? -1
                  : line.bookedOn > bestOn
                    ? 1
                    : 0;
          if (order < 0) [best, bestOff, bestOn] = [[line], off, line.bookedOn];
          else if (order === 0) best.push(line);
        }
      }
      const amount = money(item.amountMicros);
      const reported = {
        id: item.id,
        kind: 'payout',
        source: item.sourceId,
        amount,
        currency: item.currency,
        reportedOn: day,
        state: 'late',
        ageDays,
        match: null,
      };
      if (best.length === 1) {
        const [line] = best;
        const micros = line.amountMicros ?? item.amountMicros;
        settled.add(line.key);
        reported.state = micros === item.amountMicros ? 'matched' : 'differs';
        reported.match = { amount: money(micros), date: line.bookedOn, reference: line.reference, bankLine: line.key };
      }
      chunk.push(reported);
      if (chunk.length === 500) flush();
    }
  };
  const stream = db.prepare(
    `SELECT e.id, e.source_id, e.amount_micros, e.currency, e.date, l.account || ':' || l.line_id, l.booked_on, l.reference,
      l.reference LIKE '%:%' OR l.description LIKE '%:%' FROM source_events e
      LEFT JOIN bank_lines l ON l.currency = e.currency AND l.amount_micros = e.amount_micros
        AND l.booked_on BETWEEN e.date AND date(e.date, '+${windowDays} days') AND l.booked_on <= ?
      WHERE e.kind IN ${KINDS} ORDER BY e.date, e.id`,
  );
  write(`{\n  "asOf": "${asOf}",\n  "items": `);
  let [day, items, item] = ['', [], undefined];
  for (const [id, sourceId, amountMicros, currency, date, key, bookedOn, reference, colon] of stream
    .raw(true)
    .iterate(asOf)) {
    if (item?.id !== id) {
      if (date !== day && items.length > 0) {
        judgeDay(day, items);
        items = [];
      }
      day = date;
      items.push((item = { id, sourceId, amountMicros, currency, exact: [] }));
    }
    if (key !== null) item.exact.push({ key, bookedOn, reference, colon: colon === 1n });
  }
  if (items.length > 0) judgeDay(day, items);
  if (chunk.length > 0) flush();
  write(chunks === 0 ? '[]\n}\n' : '\n  ]\n}\n');
}
