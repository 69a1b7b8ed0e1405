// The floor for importing an orders file: read it, split the lines, insert
// each row into one SQLite table in one transaction. No validation, no
// panel, no books: what any importer of the same rows must at least spend.
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';

const [ordersFile, databaseFile] = process.argv.slice(2);
const db = new Database(databaseFile);
db.pragma('journal_mode = WAL');
db.exec('CREATE TABLE orders (order_id TEXT PRIMARY KEY, service TEXT, quantity INTEGER, created_at TEXT)');
const insert = db.prepare('INSERT INTO orders VALUES (?, ?, ?, ?)');
const [, ...rows] = readFileSync(ordersFile, 'utf8').trim().split('\n');
db.transaction(() => {
  for (const row of rows) {
    const [orderId, service, quantity, createdAt] = row.split(',');
    insert.run(orderId, service, BigInt(quantity), createdAt);
  }
})();
db.close();
