import { z } from 'zod';

/**
 * What ledgerline tells a person without being asked: a run that failed, what
 * a run found that needs a look, a destination authorization about to lapse.
 * Built as plain data here; alert-sender.ts delivers it, redacted.
 */
const ALERT_KINDS = ['run_failed', 'discrepancies', 'token_expiring', 'digest'] as const;
type AlertKind = (typeof ALERT_KINDS)[number];

/** One thing to act on, named by the source or destination it concerns; kept in run records, so a schema. */
export const AlertItemSchema = z.object({
  /** A source id, a destination ("xero"), or "ledger" for the run as a whole. */
  subject: z.string(),
  /** The error class ("AuthError") or the finding kind ("balance_fall"). */
  kind: z.string(),
  message: z.string(),
  /** What the reader should do about it, in one sentence. */
  nextStep: z.string(),
});
export type AlertItem = z.infer<typeof AlertItemSchema>;

export interface Alert {
  kind: AlertKind;
  /** One line saying what happened, e.g. "ledgerline: the scheduled run of 2026-03-04 failed". */
  title: string;
  runId?: string;
  asOf?: string;
  items: readonly AlertItem[];
  /** The ledger's hash-chain head as the run left it: a witness kept outside the ledger file (issue 52). */
  chainHead?: { entryId: string; hash: string } | undefined;
}

/**
 * A chat message has room for this many items; the rest are counted, and `ledgerline status` lists them all (a
 * digest's, `status --exceptions`: the queue it was made from, which also lists every entity's).
 */
const ALERT_ITEMS_IN_TEXT = 20;

/**
 * The JSON sent to the webhook and to the command: Slack-compatible (`text` is
 * what a chat shows), with the same facts as fields for scripts.
 */
export function alertPayload(alert: Alert): {
  text: string;
  kind: AlertKind;
  runId?: string;
  asOf?: string;
  items: AlertItem[];
  chainHead?: { entryId: string; hash: string };
} {
  return {
    text: alertText(alert),
    kind: alert.kind,
    ...(alert.runId === undefined ? {} : { runId: alert.runId }),
    ...(alert.asOf === undefined ? {} : { asOf: alert.asOf }),
    items: [...alert.items],
    ...(alert.chainHead === undefined
      ? {}
      : { chainHead: { entryId: alert.chainHead.entryId, hash: alert.chainHead.hash } }),
  };
}

/**
 * "ledgerline: the scheduled run of 2026-03-04 failed
 *  • smm-panel: AuthError: smm-panel: authentication failed (…)
 *    next step: check the API key configured for smm-panel"
 */
export function alertText(alert: Alert): string {
  const shown = alert.items.slice(0, ALERT_ITEMS_IN_TEXT);
  const lines = [alert.title];
  for (const item of shown) {
    lines.push(`• ${item.subject}: ${item.kind}: ${item.message}`, `  next step: ${item.nextStep}`);
  }
  const hidden = alert.items.length - shown.length;
  const whole = alert.kind === 'digest' ? 'ledgerline status --exceptions' : 'ledgerline status';
  if (hidden > 0) lines.push(`… and ${hidden} more (run \`${whole}\` for the whole list)`);
  if (alert.runId !== undefined) lines.push(`run ${alert.runId}`);
  // The first 12 hex digits, for a person to compare by eye; the payload's chainHead holds all 64.
  if (alert.chainHead !== undefined)
    lines.push(`chain head ${alert.chainHead.entryId} sha256:${alert.chainHead.hash.slice(0, 12)}…`);
  return lines.join('\n');
}
