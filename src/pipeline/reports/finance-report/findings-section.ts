import type { FindingGroup, ReconcileItem } from '../reconcile-report.js';
import { money, text } from './html.js';

/** What the console adds to each item: a form to acknowledge or reopen it, carrying the CSRF token and the window shown. */
export interface PageControls {
  csrfToken: string;
  from: string;
  to: string;
  /** The characters a note may hold, said beside the field. */
  noteLimit: number;
}

/** Item kinds in words a bookkeeper uses; a kind not listed reads as its key with spaces. */
const KIND_WORDS: Readonly<Record<string, string>> = {
  balance_rise: 'Panel balance rose: a top-up to match with the bank',
  balance_fall: 'Panel balance fell more than the orders explain',
  balance_mismatch: "The ledger's panel balance differs from what the panel reported",
  computed_refund: 'Refund computed from a partly delivered order',
  payout_carried_forward: 'Payout below the minimum, carried forward',
  clawback: 'Earnings clawed back by the ad network',
  quarantined_reply: 'A reply that could not be read, kept aside',
  refused_entry: 'An entry the accounting system refused',
  order_stuck_open: 'An order open for too long',
  close_after_today: 'A close dated after today',
  unknown_order: 'An order the panel does not know',
};

const GROUPS: readonly { group: FindingGroup; title: string; none: string; hint: string }[] = [
  { group: 'needs-person', title: 'Needs a person', none: 'Nothing is waiting for a person.', hint: 'Each of these waits for someone to look, act, and acknowledge it with a note.' },
  { group: 'explained', title: 'Explained by ledgerline', none: 'Nothing to explain.', hint: 'Booked and explained by ledgerline, kept for the record; no one needs to act.' },
  { group: 'acknowledged', title: 'Acknowledged by a person', none: 'No one has acknowledged an item yet.', hint: 'Who acknowledged each item, when, and every note, oldest first.' },
];

/** The reconcile items in their three groups, each item with its history; with `controls`, each has its form. */
export function findingsSection(findings: Readonly<Record<FindingGroup, readonly ReconcileItem[]>>, controls?: PageControls): string {
  const groups = GROUPS.map(({ group, title, none, hint }) => {
    const items = findings[group];
    const body = items.length === 0 ? `<p class="none">${text(none)}</p>` : `<p class="hint">${text(hint)}</p><ul class="findings">${items.map((item) => findingItem(item, group, controls)).join('')}</ul>`;
    return `<div class="finding-group" id="${group}" data-group="${group}"><h3>${text(title)} <span class="count">${items.length}</span></h3>${body}</div>`;
  });
  return `<section id="findings"><h2>Findings</h2>${groups.join('')}</section>`;
}

function findingItem(item: ReconcileItem, group: FindingGroup, controls: PageControls | undefined): string {
  const amount = item.amount === null ? '' : ` <span class="num amount">${text(money(item.amount))} ${text(item.currency ?? '')}</span>`;
  const explanation = item.explanation === null ? '' : `<p class="explanation">Explained: ${text(item.explanation)}</p>`;
  const history = item.history.length === 0 ? '' : `<ol class="history">${item.history.map(historyWord).join('')}</ol>`;
  return `<li class="${group}" data-item="${text(item.id)}"><p class="what"><strong>${text(KIND_WORDS[item.kind] ?? item.kind.replace(/_/g, ' '))}</strong>${amount}</p>
<p class="when">${text(item.date)} · ${text(item.source)}</p><p>${text(item.message)}</p>${explanation}${history}<p class="id">id <code>${text(item.id)}</code></p>${controls === undefined ? '' : itemForm(item, controls)}</li>`;
}

function historyWord(word: ReconcileItem['history'][number]): string {
  const said = word.action === 'ack' ? 'Acknowledged' : 'Reopened';
  return `<li class="${word.action}">${said} by <strong>${text(word.by)}</strong> at <time>${text(word.at)}</time>${word.note === null ? '' : `: <span class="note">${text(word.note)}</span>`}</li>`;
}

function itemForm(item: ReconcileItem, controls: PageControls): string {
  const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${text(value)}">`;
  const fields = `${hidden('csrf', controls.csrfToken)}${hidden('item', item.id)}${hidden('from', controls.from)}${hidden('to', controls.to)}`;
  const reopen = item.acknowledged === null ? '' : `<button type="submit" name="action" value="unack" class="secondary">Reopen</button>`;
  return `<form method="post" action="/acknowledge" class="ack">${fields}<label>Note <small>(up to ${controls.noteLimit} characters)</small> <input type="text" name="note" maxlength="${controls.noteLimit}" placeholder="what was done, e.g. matched bank transfer 4471"></label> <button type="submit" name="action" value="ack">Acknowledge</button>${reopen}</form>`;
}
