import { describe, expect, it } from 'vitest';
import { digestAlert } from '../../src/alerts/digest-alert.js';

describe("the digest in a person's words", () => {
  it('says each date once: a silent panel whose words give since when is not given it again; a failing one is', () => {
    const alert = digestAlert('daily', {
      today: '2026-03-06',
      sources: 4,
      exceptions: [
        {
          entity: 'south',
          kind: 'silent',
          subject: 'panel-02',
          what: 'Panel panel-02 has sent no new orders or balance moves for 3 days (since 2026-03-03)',
          since: '2026-03-03',
          nextStep: 'check the account at the panel',
        },
        {
          entity: 'north',
          kind: 'failing',
          subject: 'panel-03',
          what: 'panel-03 failed in the latest sync, so its days since are not booked: HTTP 502',
          since: '2026-03-01',
          nextStep: "the failure is on panel-03's side (HTTP 502)",
        },
      ],
    });
    const message = (subject: string) => alert.items.find((item) => item.subject === subject)?.message ?? '';
    expect(message('south/panel-02').match(/2026-03-03/g)).toHaveLength(1);
    expect(message('north/panel-03')).toBe(
      'panel-03 failed in the latest sync, so its days since are not booked: HTTP 502 (since 2026-03-01)',
    );
  });

  it('says each date once across the summary and the items: the summary names, the item says since when', () => {
    const alert = digestAlert('daily', {
      today: '2026-03-08',
      sources: 16,
      exceptions: [
        {
          entity: 'north',
          kind: 'open_item',
          subject: 'finding:panel-01:balance_fall:2026-03-02:2026-03-02',
          what: 'panel balance 97.07408 USD is 3.11184 below what the ledger explains (100.18592)',
          since: '2026-03-02',
          nextStep: 'look at it with `ledgerline reconcile --entity north`',
        },
        {
          entity: 'south',
          kind: 'failing',
          subject: 'panel-12',
          what: 'panel-12 failed in the latest sync, so its days since are not booked: HTTP 502',
          since: '2026-03-01',
          nextStep: "the failure is on panel-12's side (HTTP 502)",
        },
      ],
    });
    expect(alert.title).toBe(
      'ledgerline daily digest, 2026-03-08: 1 of 16 sources need you; 2 things to do in all\n' +
        'failing: 1 (south/panel-12)\n' +
        'open items blocking a close: 1 (north/finding:panel-01:balance_fall:2026-03-02:2026-03-02)',
    );
    expect(alert.items.map((item) => item.message)).toEqual([
      'panel-12 failed in the latest sync, so its days since are not booked: HTTP 502 (since 2026-03-01)',
      'panel balance 97.07408 USD is 3.11184 below what the ledger explains (100.18592) (since 2026-03-02)',
    ]);
  });
});
