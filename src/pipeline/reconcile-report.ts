import { sql } from 'kysely';
import type { Ledger } from '../ledger/index.js';
import { formatMicros } from '../money/index.js';
import { closesAfterToday } from './future-closes.js';

/** One thing for a person to look at (DESIGN §6 `reconcile --json`): amounts as decimal text. */
export interface ReconcileItem {
  kind: string;
  source: string;
  date: string;
  amount: string | null;
  currency: string | null;
  ref: string;
  message: string;
}

export interface ReconcileReport {
  asOf: string;
  clean: boolean;
  items: ReconcileItem[];
}

const PANEL_PREPAID = 'panel_prepaid';

/**
 * Everything open dated on or before `asOf`: the findings of the rules
 * (balance moves, clawbacks, carried payouts, unknown orders, computed
 * refunds…), quarantined replies and webhooks, entries a destination refused,
 * and — a check of the books against the source — any panel whose ledger
 * balance differs from the balance of its latest close.
 */
export function reconcileReport(ledger: Ledger, asOf: string, today: string): ReconcileReport {
  const { store } = ledger;
  const { db } = store;
  const items: ReconcileItem[] = [];
  const latestCloses = store.all(db.selectFrom('source_closes').select(['source_id', sql<string>`MAX(date)`.as('date')]).groupBy('source_id').orderBy('source_id'));
  for (const close of closesAfterToday(latestCloses.map((row) => ({ sourceId: row.source_id, date: row.date })), today)) {
    items.push({ kind: 'close_after_today', source: close.sourceId, date: close.date, amount: null, currency: null, ref: close.date, message: close.message });
  }
  for (const row of store.iterate(
    db.selectFrom('discrepancies').selectAll().where('resolved_at', 'is', null).where('date', '<=', asOf).orderBy('date').orderBy('source_id').orderBy('kind').orderBy('ref'),
  )) {
    items.push({
      kind: row.kind,
      source: row.source_id,
      date: row.date,
      amount: row.amount_micros === null ? null : formatMicros(BigInt(row.amount_micros)),
      currency: row.currency,
      ref: row.ref,
      message: row.message,
    });
  }
  for (const row of store.iterate(
    db.selectFrom('quarantine').selectAll().where('resolved_at', 'is', null).where('as_of', '<=', asOf).orderBy('id'),
  )) {
    const where = row.raw_observation_id !== null ? `raw reply #${row.raw_observation_id}` : row.webhook_id !== null ? `webhook #${row.webhook_id}` : 'input';
    items.push({
      kind: 'quarantined_reply',
      source: row.source_id,
      date: row.as_of,
      amount: null,
      currency: null,
      ref: row.item_ref ?? where,
      message: `kept in quarantine (${where}): ${row.reason}`,
    });
  }
  for (const row of store.iterate(
    db
      .selectFrom('deliveries as d')
      .innerJoin('journal_entries as e', 'e.id', 'd.entry_id')
      .select(['d.entry_id', 'd.destination', 'd.last_error', 'e.date', 'e.source_id'])
      .where('d.state', '=', 'refused')
      .where('e.date', '<=', asOf)
      .orderBy('e.seq'),
  )) {
    items.push({
      kind: 'refused_entry',
      source: row.source_id,
      date: row.date,
      amount: null,
      currency: null,
      ref: row.entry_id,
      message: `${row.destination} refused entry ${row.entry_id}: ${row.last_error ?? 'no reason recorded'}`,
    });
  }
  for (const close of store.all(
    db
      .selectFrom('source_closes as c')
      .select(['c.source_id', 'c.date', 'c.value_micros', 'c.currency'])
      .where('c.metric', '=', 'balance')
      .where('c.date', '<=', asOf)
      .where('c.date', '=', (eb) => eb.selectFrom('source_closes as l').select(sql<string>`MAX(l.date)`.as('d')).whereRef('l.source_id', '=', 'c.source_id').where('l.metric', '=', 'balance').where('l.date', '<=', asOf)),
  )) {
    const booked = ledger.balanceOf(PANEL_PREPAID, close.currency, { sourceId: close.source_id, asOf: close.date });
    const reported = BigInt(close.value_micros);
    if (booked !== reported) {
      items.push({
        kind: 'balance_mismatch',
        source: close.source_id,
        date: close.date,
        amount: formatMicros(reported - booked),
        currency: close.currency,
        ref: PANEL_PREPAID,
        message: `the ledger's ${PANEL_PREPAID} is ${formatMicros(booked)} but the panel reported ${formatMicros(reported)} at its close of ${close.date}`,
      });
    }
  }
  return { asOf, clean: items.length === 0, items };
}
