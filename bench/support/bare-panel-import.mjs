// The floor for a first import against a panel: what any importer that keeps
// ledgerline's records must at least spend, with nothing but undici and
// better-sqlite3. It streams the orders file; asks the panel about its ids,
// 100 a request, one request at a time; stores each reply before reading it;
// and writes, 5,000 orders to a transaction, each order once with its state
// and one event with its detail, then one journal entry listing the events.
// No validation, no rules, no checks: the rows are the size ledgerline's are.
// argv: ordersFile databaseFile panelUrl (the key comes from PANEL_KEY).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { request } from 'undici';

const [ordersFile, databaseFile, panelUrl] = process.argv.slice(2);
const SOURCE = 'smm-panel';
const DATE = new Date().toISOString().slice(0, 10);
const RUN = `run:${new Date().toISOString()}:bare`;
const db = new Database(databaseFile);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 10000');
db.exec(`
CREATE TABLE replies (id INTEGER PRIMARY KEY, source_id TEXT, request TEXT, fetched_at TEXT, http_status INTEGER, body TEXT, run_id TEXT);
CREATE TABLE orders (source_id TEXT, order_id TEXT, service TEXT, quantity INTEGER, created_at TEXT, state TEXT, last_observed_date TEXT, updated_at TEXT, PRIMARY KEY (source_id, order_id));
CREATE TABLE events (id TEXT PRIMARY KEY, source_id TEXT, kind TEXT, date TEXT, currency TEXT, amount_micros INTEGER, ref TEXT, detail TEXT, run_id TEXT, created_at TEXT);
CREATE INDEX events_by_date ON events (source_id, date);
CREATE TABLE journal_entries (id TEXT PRIMARY KEY, event_ids TEXT);`);
const insertReply = db.prepare(
  'INSERT INTO replies (source_id, request, fetched_at, http_status, body, run_id) VALUES (?, ?, ?, ?, ?, ?)',
);
const insertOrder = db.prepare('INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
const insertEvent = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');

/** "0.90000" → 900000n, from the text. */
function micros(decimal) {
  const [whole, fraction = ''] = decimal.split('.');
  return BigInt(whole) * 1_000_000n + BigInt((fraction + '000000').slice(0, 6));
}

async function ask(form) {
  const body = new URLSearchParams({ key: process.env.PANEL_KEY, ...form }).toString();
  const reply = await request(panelUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  const text = await reply.body.text();
  insertReply.run(SOURCE, form.action, new Date().toISOString(), reply.statusCode, text, RUN);
  return JSON.parse(text);
}

const eventIds = [];
async function importChunk(rows) {
  const replies = [];
  for (let start = 0; start < rows.length; start += 100)
    replies.push(
      await ask({
        action: 'status',
        orders: rows
          .slice(start, start + 100)
          .map((row) => row[0])
          .join(','),
      }),
    );
  const byId = new Map(rows.map((row) => [row[0], row]));
  const now = new Date().toISOString();
  db.transaction(() => {
    for (const reply of replies) {
      for (const [orderId, status] of Object.entries(reply)) {
        if (status.error !== undefined) continue;
        const row = byId.get(orderId) ?? [orderId];
        const charge = micros(status.charge);
        const state = JSON.stringify({
          orderId,
          currency: status.currency,
          bookedNetMicros: String(charge),
          statusRaw: status.status,
          lastObservedOn: DATE,
        });
        insertOrder.run(
          SOURCE,
          orderId,
          row[1] ?? null,
          row[2] === undefined ? null : BigInt(row[2]),
          row[3] ?? null,
          state,
          DATE,
          now,
        );
        const eventId = `panel:${SOURCE}:order:${orderId}:charge:${DATE}`;
        const detail = JSON.stringify({
          status: status.status,
          reportedCharge: status.charge,
          remains: status.remains,
          quantity: row[2],
          netCharge: status.charge,
        });
        insertEvent.run(eventId, SOURCE, 'order_charge', DATE, status.currency, charge, orderId, detail, RUN, now);
        eventIds.push(eventId);
      }
    }
  })();
}

await ask({ action: 'balance' });
let chunk = [];
let header = true;
for await (const line of createInterface({ input: createReadStream(ordersFile) })) {
  if (header || line === '') {
    header = false;
    continue;
  }
  chunk.push(line.split(','));
  if (chunk.length === 5_000) {
    await importChunk(chunk);
    chunk = [];
  }
}
if (chunk.length > 0) await importChunk(chunk);
db.prepare('INSERT INTO journal_entries VALUES (?, ?)').run(`je:${SOURCE}:${DATE}`, JSON.stringify(eventIds));
db.close();
