/**
 * Panels put errors in {"error": "…"} bodies, often with HTTP 200, and word them freely.
 * The client needs to tell a few apart: a bad key (fix the configuration), the rate limit
 * (wait), an unknown order (report it, never refund it), a refused action (fall back from
 * multiStatus), and no funds.
 */
type PanelErrorKind = 'auth' | 'rate-limit' | 'unsupported-action' | 'unknown-order' | 'insufficient-balance' | 'other';

/**
 * Wordings panel scripts send, each with the kind it means and where it comes from (only the
 * seed's and SmartPanel's are traced to a source; add one here with its source when a real
 * panel shows it). Matched whole, ignoring case, surrounding space and a final full stop; a wording not
 * listed falls to the patterns in classifyPanelError.
 */
export const PANEL_ERROR_PHRASES: readonly { phrase: string; kind: PanelErrorKind; seenIn: string }[] = [
  { phrase: 'Incorrect order ID', kind: 'unknown-order', seenIn: 'the API v2 seed document' },
  {
    phrase: 'API is Disable for this user or User Not Found! Contact the Support',
    kind: 'auth',
    seenIn: "SmartPanel's language table, answered with HTTP 200",
  },
  {
    phrase: 'Order not found',
    kind: 'unknown-order',
    seenIn: 'a PHP script without batch status, with "status": "104" (issue 12)',
  },
  { phrase: 'Invalid API key', kind: 'auth', seenIn: 'common wording; the sandbox answers it' },
  { phrase: 'Incorrect API key', kind: 'auth', seenIn: 'common wording, not traced to one script' },
  { phrase: 'Incorrect request', kind: 'unsupported-action', seenIn: 'common wording, not traced to one script' },
  { phrase: 'Unsupported action', kind: 'unsupported-action', seenIn: 'the sandbox' },
  {
    phrase: 'The selected action is invalid',
    kind: 'unsupported-action',
    seenIn: "Laravel's validation message, used by Laravel-based panels",
  },
  {
    phrase: 'Too Many Attempts',
    kind: 'rate-limit',
    seenIn: "Laravel's throttle message, used by Laravel-based panels",
  },
  { phrase: 'Too many requests', kind: 'rate-limit', seenIn: 'common wording, with HTTP 200 or 429' },
  { phrase: 'Not enough funds on balance', kind: 'insufficient-balance', seenIn: 'the sandbox' },
  { phrase: 'Insufficient balance', kind: 'insufficient-balance', seenIn: 'common wording, not traced to one script' },
];

const normalized = (message: string) =>
  message
    .trim()
    .replace(/[.!]+$/, '')
    .toLowerCase();
const PHRASE_KINDS = new Map(PANEL_ERROR_PHRASES.map((entry) => [normalized(entry.phrase), entry.kind]));

const REFUSAL =
  /\b(invalid|incorrect|wrong|unknown|unsupported|not supported|not allowed|not found|bad|undefined|does not exist|doesn't exist|no such)\b/i;
const KEY_REFUSAL = /\b(invalid|incorrect|wrong|missing|required|revoked|disabled?|not found|does not exist)\b/i;

/**
 * classifyPanelError("Incorrect order ID") === 'unknown-order';
 * classifyPanelError("Invalid API key") === 'auth';
 * classifyPanelError("Incorrect request") === 'unsupported-action'.
 */
export function classifyPanelError(message: string): PanelErrorKind {
  const known = PHRASE_KINDS.get(normalized(message));
  if (known !== undefined) return known;
  if (/\bunauthori[sz]ed\b/i.test(message) || (/\b(api[\s_-]?)?key\b/i.test(message) && KEY_REFUSAL.test(message)))
    return 'auth';
  if (/\b(too many (requests|attempts)|rate limit)/i.test(message)) return 'rate-limit';
  if (/\b(insufficient|not enough)\s+(balance|funds)\b/i.test(message)) return 'insufficient-balance';
  if (
    (/\baction\b/i.test(message) && REFUSAL.test(message)) ||
    /\bincorrect request\b/i.test(message) ||
    /\b(unsupported|not implemented)\b/i.test(message)
  ) {
    return 'unsupported-action';
  }
  if (/\border\b/i.test(message) && REFUSAL.test(message)) return 'unknown-order';
  return 'other';
}
