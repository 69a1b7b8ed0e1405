import {
  PANEL_KIND,
  calendarDateIn,
  panelOrderUpdateFormat,
  type PanelOrderUpdateWebhook,
} from '../../sources/index.js';
import type { LandingBooksTx } from './landing-books.js';

/**
 * Read helpers for the sync closes: the readable webhooks of one source,
 * re-read from their stored bodies with the kinds' own webhook formats (so a reading is
 * never stored twice, in two versions). They mark nothing: the pipeline
 * decides what it has processed. A stored row that no longer reads (a schema
 * made stricter since) is listed in `unreadable`, never dropped silently.
 */
export interface StoredWebhookRow {
  webhookId: bigint;
  /** 'stored' until the pipeline marks it 'processed'. */
  status: 'stored' | 'processed';
  /** When the receiver stored it (ISO 8601, UTC). */
  receivedAt: string;
}

export interface UnreadableStoredWebhook {
  webhookId: bigint;
  reason: string;
}

export type StoredPanelUpdate = StoredWebhookRow &
  Omit<PanelOrderUpdateWebhook, 'kind'> & {
    /** The calendar date of `receivedAt` in the requested time zone: order updates carry no time of their own. */
    date: string;
  };

export interface StoredPanelUpdatesQuery {
  sourceId: string;
  /** Only updates received at or after this ISO 8601 instant or date ("2026-03-13" is that day's start, UTC). */
  since?: string;
  timeZone?: string;
}

/** Order updates of a panel in order of receipt; several for one order show its successive states. */
export async function storedPanelUpdates(
  books: Pick<LandingBooksTx, 'readableWebhooks'>,
  query: StoredPanelUpdatesQuery,
): Promise<{ updates: StoredPanelUpdate[]; unreadable: UnreadableStoredWebhook[] }> {
  const dateOf = calendarDateIn(query.timeZone ?? 'UTC');
  const updates: StoredPanelUpdate[] = [];
  const unreadable: UnreadableStoredWebhook[] = [];
  for await (const row of books.readableWebhooks(query.sourceId, PANEL_KIND, query.since)) {
    const reading = panelOrderUpdateFormat.read(row.body);
    if (!reading.ok) {
      unreadable.push({ webhookId: row.id, reason: reading.reason });
      continue;
    }
    const { kind: _kind, ...update } = reading.event;
    updates.push({
      webhookId: row.id,
      status: row.status,
      receivedAt: row.receivedAt,
      ...update,
      date: dateOf(row.receivedAt),
    });
  }
  return { updates, unreadable };
}
