import { calendarDateIn } from '../../calendar/index.js';
import type { LandingBooks, StoredWebhookRow, UnreadableStoredWebhook } from '../../pipeline/landing/index.js';
import { conversionWebhookFormat, type TrackedConversionWebhook } from './conversion-webhook.js';
import { PAYELANCER_KIND } from './payelancer-config.js';

type StoredConversion = StoredWebhookRow &
  Omit<TrackedConversionWebhook, 'kind'> & {
    /** The calendar date of `timestamp` in the requested time zone: what the conversion is dated by. */
    date: string;
  };

interface StoredConversionsQuery {
  sourceId: string;
  /** Calendar dates, inclusive, on the conversion's own date. */
  from?: string;
  to?: string;
  /** IANA zone the dates are taken in; UTC by default. */
  timeZone?: string;
}

/** Conversions of a source in order of receipt (inbox id), already deduplicated by the receiver. */
export async function storedConversions(
  books: Pick<LandingBooks, 'readableWebhooks'>,
  query: StoredConversionsQuery,
): Promise<{ conversions: StoredConversion[]; unreadable: UnreadableStoredWebhook[] }> {
  const dateOf = calendarDateIn(query.timeZone ?? 'UTC');
  const conversions: StoredConversion[] = [];
  const unreadable: UnreadableStoredWebhook[] = [];
  for await (const row of books.readableWebhooks(query.sourceId, PAYELANCER_KIND)) {
    const reading = conversionWebhookFormat.read(row.body);
    if (!reading.ok) {
      unreadable.push({ webhookId: row.id, reason: reading.reason });
      continue;
    }
    const { kind: _kind, ...conversion } = reading.event;
    const date = dateOf(conversion.timestamp);
    if ((query.from !== undefined && date < query.from) || (query.to !== undefined && date > query.to)) continue;
    conversions.push({ webhookId: row.id, status: row.status, receivedAt: row.receivedAt, ...conversion, date });
  }
  return { conversions, unreadable };
}
