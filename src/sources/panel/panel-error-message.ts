/**
 * Panels put errors in {"error": "…"} bodies, often with HTTP 200, and word them freely.
 * The client needs to tell a few apart: a bad key (fix the configuration), an unknown order
 * (report it, never refund it), and a refused action (fall back from multiStatus).
 */
export const PANEL_ERROR_KINDS = ['auth', 'unsupported-action', 'unknown-order', 'insufficient-balance', 'other'] as const;
export type PanelErrorKind = (typeof PANEL_ERROR_KINDS)[number];

const REFUSAL = /\b(invalid|incorrect|wrong|unknown|unsupported|not supported|not allowed|not found|bad|undefined|does not exist|doesn't exist|no such)\b/i;
const KEY_REFUSAL = /\b(invalid|incorrect|wrong|missing|required|revoked|disabled|not found|does not exist)\b/i;

/**
 * classifyPanelError("Incorrect order ID") === 'unknown-order';
 * classifyPanelError("Invalid API key") === 'auth';
 * classifyPanelError("Incorrect request") === 'unsupported-action'.
 */
export function classifyPanelError(message: string): PanelErrorKind {
  if (/\bunauthori[sz]ed\b/i.test(message) || (/\b(api[\s_-]?)?key\b/i.test(message) && KEY_REFUSAL.test(message))) return 'auth';
  if (/\b(insufficient|not enough)\s+(balance|funds)\b/i.test(message)) return 'insufficient-balance';
  if ((/\baction\b/i.test(message) && REFUSAL.test(message)) || /\bincorrect request\b/i.test(message) || /\b(unsupported|not implemented)\b/i.test(message)) {
    return 'unsupported-action';
  }
  if (/\border\b/i.test(message) && REFUSAL.test(message)) return 'unknown-order';
  return 'other';
}
