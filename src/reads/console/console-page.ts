import { addDays } from '../../calendar/index.js';
import type { FinanceReport } from '../finance-report/index.js';
import { table, text } from '../finance-report/html.js';

/** The console's bar above the report: the window shown and how to change it, the downloads, a connection that needs a person. */
export function consoleBar(
  report: Pick<FinanceReport, 'from' | 'to'>,
  exportFormats: readonly string[],
  notice: string | undefined,
  connectionAdvice: readonly string[],
): string {
  const window = (from: string, to: string) => `/?from=${from}&to=${to}`;
  const monthStart = `${report.to.slice(0, 7)}-01`;
  const previousEnd = addDays(monthStart, -1);
  const previousStart = `${previousEnd.slice(0, 7)}-01`;
  const downloads = exportFormats.map(
    (format) =>
      `<a href="/export?format=${format}&amp;from=${report.from}&amp;to=${report.to}" download>${text(format)}</a>`,
  );
  return `<nav class="console" aria-label="console">
<form method="get" action="/" class="window"><strong>ledgerline console</strong>
<label>From <input type="date" name="from" value="${text(report.from)}" required></label>
<label>to <input type="date" name="to" value="${text(report.to)}" required></label>
<button type="submit">Show</button>
<a href="${window(monthStart, report.to)}">month to ${text(report.to)}</a>
<a href="${window(previousStart, previousEnd)}">${text(previousEnd.slice(0, 7))}</a>
<a href="/?whole=ledger">whole ledger</a>
<a href="/periods">periods</a>
<a href="/bank-lines">bank lines</a>
<a href="/fleet">fleet</a>
<a href="/vat">VAT return</a></form>
<p class="downloads">Download the entries of this window: ${downloads.join(' · ')}</p>
${notice === undefined ? '' : `<p class="notice" role="status">${text(notice)}</p>`}
${connectionAdvice.map((advice) => `<p class="connection" role="alert">${text(advice)}</p>`).join('\n')}
</nav>`;
}

/** The recorded runs, newest first: what each night did and how it ended. */
export function runsSection(report: FinanceReport, when: (instant: string) => string): string {
  const runs = table(
    'The latest recorded runs, newest first',
    ['started', 'command', 'as of', 'outcome', 'error'],
    report.runs.map((run) => [
      when(run.startedAt),
      run.command,
      run.asOf ?? '',
      run.outcome ?? (run.finishedAt === null ? 'running' : ''),
      run.error ?? '',
    ]),
    ' id="runs"',
  );
  return `<section id="recent-runs"><h2>Recent runs</h2>${runs}</section>`;
}

/** A short page that says what went wrong and how to go back. */
export function messagePage(status: number, message: string, nonce: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ledgerline console: ${status}</title>
<style nonce="${nonce}">body { font: 15px/1.45 system-ui, sans-serif; max-width: 50rem; margin: 2rem auto; padding: 0 1rem; }</style></head>
<body><h1>${status === 409 ? 'Try again in a moment' : 'That did not work'}</h1><p>${text(message)}</p>${status === 401 ? '' : '<p><a href="/">Back to the console</a></p>'}</body></html>
`;
}

/**
 * A console page beside the report (periods, bank lines, fleet, VAT), waiting for its answer's nonce: the console's
 * style and bar with a way back, and the page's own title (HTML), width, style rules (continuing the open `td, th`
 * rule), links in the bar and body.
 */
export function consoleDocument(page: {
  title: string;
  maxWidthRem: number;
  style: string;
  nav?: string;
  body: string;
}): (nonce: string) => string {
  return (nonce) =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ledgerline console: ${page.title}</title>
<style nonce="${nonce}">body { font: 15px/1.45 system-ui, sans-serif; max-width: ${page.maxWidthRem}rem; margin: ` +
    `1rem auto; padding: 0 1rem; } table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; } td, th { ` +
    `border-bottom: 1px solid #d8dde3; padding: 0.25rem 0.6rem; text-align: left;${page.style}${CONSOLE_STYLE}</style></head>
<body><nav class="console" aria-label="console"><strong>ledgerline console</strong> · <a href="/">the report</a>${page.nav ?? ''}</nav>
${page.body}</body></html>
`;
}

export const CONSOLE_STYLE =
  `
nav.console { position: sticky; top: 0; z-index: 2; background: #f4f6f8; border: 1px solid ` +
  `#d8dde3; border-radius: 6px; padding: 0.4rem 0.8rem; margin-bottom: 1rem; }
nav.console form.window { display: flex; flex-wrap: wrap; gap: 0.6rem; align-items: center; }
nav.console p { margin: 0.3rem 0 0; }
.notice { color: #2e7d32; font-weight: 600; }
.connection { color: #b3261e; font-weight: 600; }
`;
