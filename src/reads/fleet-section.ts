import { money, text } from './finance-report/html.js';
import type { FleetRow } from './fleet-view.js';
import { FLEET_SORTS, type FleetSort } from './fleet-sorts.js';

/** How the console offers the orders of `status --fleet --sort`: the one shown, and the address of each. */
export interface FleetSortLinks {
  readonly current: FleetSort;
  readonly href: (sort: FleetSort) => string;
}

/**
 * The fleet view as the report and the console show it: the rows `status --fleet` prints (fleetView, one
 * definition), one table row per source, with its marks (failing, parked, silent) in words. `sorting` (the
 * console) adds a link per order; the report is written in the order the rows come in (need first).
 * Example: panel-03 failing on HTTP 502 → a row whose marks say "failing: … HTTP 502".
 */
export function fleetSection(rows: readonly FleetRow[], sorting?: FleetSortLinks): string {
  const byEntity = rows.some((row) => row.entity !== undefined);
  const head = [
    ...(byEntity ? ['entity'] : []),
    'source',
    'kind',
    'last success',
    'lag (days)',
    'calls used today',
    'calls left today',
    'open items',
    'open orders',
    'money in transit',
    'token days left',
    'marks',
  ];
  const body = rows.map((row) => {
    const cells = [
      ...(byEntity ? [cell(row.entity ?? '')] : []),
      `<th scope="row">${text(row.source)}</th>`,
      cell(row.kind),
      cell(row.lastSuccess ?? 'never'),
      cell(row.lagDays === null ? '' : String(row.lagDays), true),
      cell(
        perOrganisation(row, (each) => String(each.callsToday)),
        true,
      ),
      cell(
        perOrganisation(row, (each) => (each.callsLeftToday === null ? null : String(each.callsLeftToday))),
        true,
      ),
      cell(String(row.openItems), true),
      cell(String(row.openOrders), true),
      cell(
        Object.entries(row.inTransit)
          .map(([currency, amount]) => `${money(amount)} ${currency}`)
          .join(', '),
        true,
      ),
      cell(
        perOrganisation(row, (each) => (each.tokenDaysLeft === null ? null : String(each.tokenDaysLeft))),
        true,
      ),
      `<td class="marks">${text(marksOf(row))}</td>`,
    ];
    return `<tr data-source="${text(row.source)}" data-result="${text(row.lastResult)}">${cells.join('')}</tr>`;
  });
  const failing = rows.filter((row) => row.lastResult === 'failing').length;
  const silent = rows.filter((row) => row.silentDays !== null).length;
  // The order shown, in words: the console's ?sort=lag is not the most in need first.
  const order =
    sorting === undefined || sorting.current === 'need'
      ? 'the most in need first, as <code>ledgerline status --fleet</code>'
      : `by ${text(sorting.current)}, as <code>ledgerline status --fleet --sort ${text(sorting.current)}</code>`;
  return (
    `<section id="fleet"><h2>The fleet</h2><p class="fleet-counts">${rows.length} sources, ${failing} failing, ` +
    `${silent} silent; ${order} lists them.</p>` +
    `${sorting === undefined ? '' : sortLine(sorting)}<table id="fleet-table"><caption>Each source: its last ` +
    `close, how far behind, its organisations' calls and tokens, and what needs a look</caption><thead><tr>` +
    `${head.map((title) => `<th scope="col">${text(title)}</th>`).join('')}</tr></thead><tbody>` +
    `${body.length === 0 ? `<tr><td colspan="${head.length}">no sources configured</td></tr>` : body.join('')}` +
    `</tbody></table></section>`
  );
}

function cell(value: string, numeric = false): string {
  return `<td${numeric ? ' class="num"' : ''}>${text(value)}</td>`;
}

/** Each order of `status --fleet --sort` as a link; the one shown is not a link. */
function sortLine({ current, href }: FleetSortLinks): string {
  const links = FLEET_SORTS.map((sort) =>
    sort === current ? `<strong aria-current="true">${sort}</strong>` : `<a href="${text(href(sort))}">${sort}</a>`,
  );
  return `<p class="fleet-sorts">Sort by: ${links.join(' · ')}</p>`;
}

/** Per destination organisation, "xero 212"; a lone destination is written without its name. */
function perOrganisation(row: FleetRow, value: (organisation: FleetRow['organisations'][number]) => string | null) {
  return row.organisations
    .flatMap((each) => {
      const said = value(each);
      return said === null ? [] : [row.organisations.length === 1 ? said : `${each.destination} ${said}`];
    })
    .join(', ');
}

/** What needs a look, in words: failing (with the reason), parked, silent for N days since a day. */
function marksOf(row: FleetRow): string {
  const marks = [
    ...(row.parked !== undefined ? [`parked: ${row.parked}`] : []),
    ...(row.lastResult === 'failing' && row.parked === undefined ? [`failing: ${row.reason ?? 'failing'}`] : []),
    ...(row.lastResult === 'not synced' ? ['not in the latest sync'] : []),
    ...(row.silentDays === null ? [] : [`silent ${row.silentDays} days since ${row.silentSince ?? ''}`]),
  ];
  return marks.join('; ');
}
