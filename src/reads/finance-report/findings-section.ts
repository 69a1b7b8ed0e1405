import type { FindingGroup } from '../reconcile-report.js';
import type { WordedItem } from './finance-report-data.js';
import { money, text } from './html.js';

/** What the console adds to each item: a form to acknowledge or reopen it, carrying the CSRF token and the window shown. */
export interface PageControls {
  csrfToken: string;
  from: string;
  to: string;
  /** The characters a note may hold, said beside the field. */
  noteLimit: number;
}

const GROUPS: readonly { group: FindingGroup; title: string; none: string; hint: string }[] = [
  {
    group: 'needs-person',
    title: 'Needs a person',
    none: 'Nothing is waiting for a person.',
    hint: 'Each of these waits for someone to look, act, and acknowledge it with a note.',
  },
  {
    group: 'explained',
    title: 'Explained by ledgerline',
    none: 'Nothing to explain.',
    hint: 'Booked and explained by ledgerline, kept for the record; no one needs to act.',
  },
  {
    group: 'acknowledged',
    title: 'Acknowledged by a person',
    none: 'No one has acknowledged an item yet.',
    hint: 'Who acknowledged each item, when, and every note, oldest first.',
  },
];

/** The reconcile items in their three groups, each item with its history; with `controls`, each has its form. */
export function findingsSection(
  findings: Readonly<Record<FindingGroup, readonly WordedItem[]>>,
  when: (instant: string) => string,
  controls?: PageControls,
  earlier?: { needingPerson: number; before: string },
): string {
  const groups = GROUPS.map(({ group, title, none, hint }) => {
    const items = findings[group];
    const body =
      items.length === 0
        ? `<p class="none">${text(none)}</p>`
        : `<p class="hint">${text(hint)}</p><ul class="findings">${items.map((item) => findingItem(item, group, when, controls)).join('')}</ul>`;
    return `<div class="finding-group" id="${group}" data-group="${group}"><h3>${text(title)} <span class="count">${items.length}</span></h3>${body}</div>`;
  });
  const note =
    earlier === undefined || earlier.needingPerson === 0
      ? ''
      : `<p class="hint" id="earlier-findings">${text(
          `${earlier.needingPerson} finding${earlier.needingPerson === 1 ? '' : 's'} dated before ${earlier.before} ` +
            'still need a person, listed in the report of their own days and by `ledgerline reconcile`.',
        )}</p>`;
  return `<section id="findings"><h2>Findings</h2>${note}${groups.join('')}</section>`;
}

function findingItem(
  item: WordedItem,
  group: FindingGroup,
  when: (instant: string) => string,
  controls: PageControls | undefined,
): string {
  const { title, nextStep } = item;
  const amount =
    item.amount === null
      ? ''
      : ` <span class="num amount">${text(money(item.amount))} ${text(item.currency ?? '')}</span>`;
  const explanation =
    item.explanation === null ? '' : `<p class="explanation">Explained: ${text(item.explanation)}</p>`;
  const history =
    item.history.length === 0
      ? ''
      : `<ol class="history">${item.history.map((word) => historyWord(word, when)).join('')}</ol>`;
  // An information item needs no one: it has no Acknowledge, only a Reopen if someone acknowledged it before.
  const form =
    controls === undefined || (item.class === 'information' && item.acknowledged === null)
      ? ''
      : itemForm(item, controls);
  const next = group === 'needs-person' ? `<p class="next">Next: ${text(nextStep)}</p>` : '';
  return (
    `<li class="${group}" data-item="${text(item.id)}"><p class="what"><strong>${text(title)}</strong>${amount}</p>
<p class="when">${text(item.date)} · ` +
    `${text(item.source)}</p><p>${text(item.message)}</p>${explanation}${next}${history}<p class="id">id ` +
    `<code>${text(item.id)}</code></p>${form}</li>`
  );
}

function historyWord(word: WordedItem['history'][number], when: (instant: string) => string): string {
  const said = word.action === 'ack' ? 'Acknowledged' : 'Reopened';
  return (
    `<li class="${word.action}">${said} by <strong>${text(word.by)}</strong> at <time ` +
    `datetime="${text(word.at)}">${text(when(word.at))}</time>${word.note === null ? '' : `: <span class="note">${text(word.note)}</span>`}</li>`
  );
}

function itemForm(item: WordedItem, controls: PageControls): string {
  const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${text(value)}">`;
  const fields = `${hidden('csrf', controls.csrfToken)}${hidden('item', item.id)}${hidden('from', controls.from)}${hidden('to', controls.to)}`;
  const reopen =
    item.acknowledged === null
      ? ''
      : `<button type="submit" name="action" value="unack" class="secondary">Reopen</button>`;
  return (
    `<form method="post" action="/acknowledge" class="ack">${fields}<label>Note <small>(up to ` +
    `${controls.noteLimit} characters)</small> <input type="text" name="note" maxlength="${controls.noteLimit}" ` +
    `placeholder="what was done, e.g. matched bank transfer 4471"></label> <button type="submit" ` +
    `name="action" value="ack">Acknowledge</button>${reopen}</form>`
  );
}
