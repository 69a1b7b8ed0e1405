import { describe, expect, it } from 'vitest';
import { alertText } from '../../src/alerts/alert.js';
import { failureItem, nextStepFor } from '../../src/alerts/next-step.js';
import { AuthError, DailyLimitError, LockedPeriodError, RunInProgressError, UpstreamError } from '../../src/errors.js';

/** The destinations the run talks to, as the registry names them: handed in where the alert is built. */
const DESTINATIONS = ['xero', 'quickbooks'];

describe('what a failure alert tells the reader to do', () => {
  it('a refused source key names the source and says to check its key', () => {
    expect(failureItem('ledger', new AuthError('smm-panel', 'HTTP 401'), DESTINATIONS)).toEqual({
      subject: 'smm-panel',
      kind: 'AuthError',
      message: 'smm-panel: authentication failed (HTTP 401); check the API key or credentials configured for smm-panel',
      nextStep: 'check the API key configured for smm-panel',
    });
  });

  it("a refused destination login says to check the app's keys, whatever the client calls itself", () => {
    expect(nextStepFor('AuthError', 'Xero', DESTINATIONS)).toBe(
      "check destinations.xero.clientId and clientSecret against the app's keys in the developer portal, then run `ledgerline connect xero`",
    );
  });

  it("an error naming a service no destination of the run has gets a service's advice, not a destination's", () => {
    expect(failureItem('ledger', new AuthError('Xero', 'HTTP 401'), []).nextStep).toBe(
      'check the API key configured for Xero',
    );
  });

  it('a destination never connected, or whose consent lapsed, is told to connect (again): the advice doctor and post give', () => {
    expect(nextStepFor('NotConnectedError', 'Xero', DESTINATIONS)).toBe('run `ledgerline connect xero`');
    expect(nextStepFor('ConsentLapsedError', 'quickbooks', DESTINATIONS)).toBe(
      'run `ledgerline connect quickbooks` to authorize again',
    );
  });

  it('a locked period names the destination from the error, not the step', () => {
    const item = failureItem(
      'post',
      new LockedPeriodError('quickbooks', 'journal:smm-panel:2026-02-27', '2026-02-27', '2026-02-28'),
      DESTINATIONS,
    );
    expect(item.subject).toBe('quickbooks');
    expect(item.nextStep).toBe(
      'ask the accountant to move the lock date in quickbooks; the entry stays unposted until then and later posts retry it',
    );
  });

  it('each error class gets its own advice; anything unknown is a bug report', () => {
    expect(
      failureItem('xero', new DailyLimitError('xero', new Date('2026-03-05T00:00:00Z')), DESTINATIONS).nextStep,
    ).toBe('nothing more was sent; run `ledgerline post xero` after the time the message gives');
    expect(
      failureItem('ads-publisher', new UpstreamError('ads-publisher', 'HTTP 502 after 5 attempts', 502), DESTINATIONS)
        .nextStep,
    ).toBe('ads-publisher is failing or unreachable; check its status page: the next run tries again');
    expect(failureItem('ledger', new RunInProgressError('another run'), DESTINATIONS).nextStep).toBe(
      'another ledgerline run holds the ledger; nothing to do unless it keeps happening (a killed run is taken over automatically)',
    );
    expect(failureItem('ledger', new TypeError('x is undefined'), DESTINATIONS)).toEqual({
      subject: 'ledger',
      kind: 'TypeError',
      message: 'x is undefined',
      nextStep:
        'this is a bug in ledgerline: please report it with the log of this run (add --debug for the stack trace)',
    });
  });
});

describe('alert text', () => {
  it('lists twenty items and counts the rest', () => {
    const items = Array.from({ length: 23 }, (_, index) => ({
      subject: 'smm-panel',
      kind: 'unknown_order',
      message: `order ${index}`,
      nextStep: 'look',
    }));
    const text = alertText({ kind: 'discrepancies', title: 'ledgerline: 23 items', items });
    const lines = text.split('\n');
    expect(lines).toHaveLength(1 + 20 * 2 + 1);
    expect(lines.at(-1)).toBe('… and 3 more (run `ledgerline status` for the whole list)');
  });

  it("counts a digest's rest in the exception queue, the list it was made from (plain status refuses with entities:)", () => {
    const items = Array.from({ length: 22 }, (_, index) => ({
      subject: `north/finding:panel-01:balance_fall:2026-03-${String(index + 1).padStart(2, '0')}`,
      kind: 'open_item',
      message: `item ${index}`,
      nextStep: 'look',
    }));
    const text = alertText({ kind: 'digest', title: 'ledgerline daily digest, 2026-03-23', items });
    expect(text.split('\n').at(-1)).toBe('… and 2 more (run `ledgerline status --exceptions` for the whole list)');
  });
});
