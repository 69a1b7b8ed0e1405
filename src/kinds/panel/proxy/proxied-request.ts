import { readJson, readWire } from '../../../http/index.js';
import { PanelAddReplySchema } from '../panel-wire.js';

/**
 * What the panel proxy reads of the requests it forwards and of the panel's
 * replies to `add`. It reads, it never rewrites: the request goes to the panel
 * byte for byte whatever is read here.
 */

type FieldsReading = { ok: true; fields: URLSearchParams } | { ok: false; reason: string };

/**
 * The fields of a request as a PHP panel sees them in $_REQUEST: the query
 * string's, then the body's form (urlencoded or multipart) over them; a name
 * given twice takes its last value (see lastField). Files in a multipart body
 * are not fields. A body in any other form cannot be read, and the caller
 * must not forward it: it could be an order the proxy would not record.
 *
 *   requestFields("?action=balance", "application/x-www-form-urlencoded", "key=K&action=add")
 *     → action=balance&key=K&action=add, whose lastField("action") is "add"
 */
export async function requestFields(
  search: string,
  contentType: string | undefined,
  body: Buffer,
): Promise<FieldsReading> {
  const fields = new URLSearchParams(search);
  if (body.length === 0) return { ok: true, fields };
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') {
    for (const [name, value] of new URLSearchParams(body.toString('utf8'))) fields.append(name, value);
    return { ok: true, fields };
  }
  if (type === 'multipart/form-data') {
    try {
      const form = await new Response(body, { headers: { 'content-type': contentType! } }).formData();
      for (const [name, value] of form) if (typeof value === 'string') fields.append(name, value);
      return { ok: true, fields };
    } catch {
      return { ok: false, reason: 'the multipart body cannot be read (is its boundary right?)' };
    }
  }
  return {
    ok: false,
    reason:
      `a body of type ${JSON.stringify(type === '' ? '(none)' : type.slice(0, 60))} cannot be read; ` +
      `send the fields urlencoded, as multipart/form-data, or in the query of a GET`,
  };
}

/** The value PHP keeps for a name sent more than once: the last one. */
export function lastField(fields: URLSearchParams, name: string): string | undefined {
  return fields.getAll(name).at(-1);
}

/** Whether a request asks the panel to place an order (`action=add`, however it is cased or spaced). */
export function isAddAction(fields: URLSearchParams): boolean {
  return lastField(fields, 'action')?.trim().toLowerCase() === 'add';
}

/** What the ledger keeps of an `add` request: never the key, the link or any text the customer wrote. */
export interface AddRequestFacts {
  service: string | null;
  /** The quantity the panel bills, when the request says it; null otherwise (the rules then go by the charge alone). */
  quantity: bigint | null;
}

/**
 * The service and the ordered quantity, as the seed's service types define it:
 *   quantity=1000                              → 1000
 *   quantity=1000&runs=3 (drip-feed)           → 3000, delivered 1000 a run
 *   comments="great\n\nnice\n" (Custom Comments) → 2, one per non-empty line
 *   username=…&max=100&posts=4 (Comments Package) → 400, posts × max (posts defaults to 1)
 *   a Package (link only)                      → null: its fixed quantity is the panel's
 */
export function addRequestFacts(fields: URLSearchParams): AddRequestFacts {
  const service = lastField(fields, 'service')?.trim();
  return { service: service === undefined || service === '' ? null : service, quantity: orderedQuantity(fields) };
}

function orderedQuantity(fields: URLSearchParams): bigint | null {
  const whole = (name: string): bigint | undefined => {
    const text = lastField(fields, name)?.trim();
    return text !== undefined && /^\d{1,12}$/.test(text) && BigInt(text) > 0n ? BigInt(text) : undefined;
  };
  const quantity = whole('quantity');
  if (quantity !== undefined) return quantity * (whole('runs') ?? 1n);
  const comments = lastField(fields, 'comments');
  if (comments !== undefined) {
    const lines = comments.split(/\r?\n/).filter((line) => line.trim() !== '').length;
    return lines > 0 ? BigInt(lines) : null;
  }
  const max = whole('max');
  if (max !== undefined && lastField(fields, 'username') !== undefined) return max * (whole('posts') ?? 1n);
  return null;
}

export type AddReplyReading =
  { kind: 'placed'; orderId: string } | { kind: 'not-placed' } | { kind: 'unreadable'; reason: string };

/**
 * Whether the panel placed an order: its reply holds an `order` id
 * ({"order": 23501}), whatever the HTTP status. A reply without one ({"error":
 * …}, "order": null, an HTML error page) placed nothing; one whose `order` cannot be read as
 * an id may have placed something the proxy cannot name.
 */
export function readAddReply(bodyText: string): AddReplyReading {
  const json = readJson(bodyText);
  if (!json.ok || json.value === null || typeof json.value !== 'object' || Array.isArray(json.value))
    return { kind: 'not-placed' };
  const order: unknown = (json.value as Record<string, unknown>).order;
  if (order === undefined || order === null) return { kind: 'not-placed' };
  const reply = readWire(PanelAddReplySchema, json.value);
  return reply.ok ? { kind: 'placed', orderId: reply.value.order } : { kind: 'unreadable', reason: reply.reason };
}
