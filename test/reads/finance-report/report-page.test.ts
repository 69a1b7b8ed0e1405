import { describe, expect, it } from 'vitest';
import { embeddedJson, reportPage, type FinanceReport } from '../../../src/reads/finance-report/index.js';
import { streamedReportPage } from '../../../src/reads/finance-report/report-page.js';

describe('the data embedded in the report page', () => {
  it('cannot close its script element or open a comment, and parses back to the same value', () => {
    const value = { note: 'paid </script><script>alert(1)</script> <!-- \u2028 done' };
    const text = embeddedJson(value);
    expect(text).not.toMatch(/<|\u2028/);
    expect(text).toBe('{"note":"paid \\u003c/script>\\u003cscript>alert(1)\\u003c/script> \\u003c!-- \\u2028 done"}');
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('the console page written as it is read', () => {
  const report: FinanceReport = {
    from: '2026-04-01',
    to: '2026-04-02',
    summaries: [],
    nights: [],
    panels: [],
    publishers: [],
    statements: [],
    checklist: [],
    findings: { 'needs-person': [], explained: [], acknowledged: [] },
    runs: [],
    deliveries: [],
    refused: [],
    quarantined: [],
    adjustments: [],
    transit: null,
    bankBalancesOff: [],
    tax: [],
  };
  const assets = { uplotJs: 'uplot();', uplotCss: '.u {}' };
  const frame = {
    bar: '<nav>bar</nav>',
    controls: { csrfToken: 'csrf', from: report.from, to: report.to, noteLimit: 500 },
    after: () => '<section>runs</section>',
    nonce: 'n0nce',
  };

  it('writes its head, title and bar before the report is read, then the same bytes as the whole page', async () => {
    let read = false;
    const parts = streamedReportPage(
      { from: report.from, to: report.to },
      () => {
        read = true;
        return Promise.resolve(report);
      },
      assets,
      'UTC',
      frame,
    );
    const head = await parts.next();
    expect(read).toBe(false);
    expect(head.value).toContain('<title>ledgerline console 2026-04-01 to 2026-04-02</title>');
    expect(head.value).toContain('<nav>bar</nav>');
    let page = String(head.value);
    for await (const part of parts) page += part;
    expect(read).toBe(true);
    expect(page).toBe(reportPage(report, assets, 'UTC', frame));
  });
});
