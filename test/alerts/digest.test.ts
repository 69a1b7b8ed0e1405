import { describe, expect, it } from 'vitest';
import { digestAlert } from '../../src/alerts/digest.js';

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
});
