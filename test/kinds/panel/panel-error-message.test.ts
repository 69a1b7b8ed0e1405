import { describe, expect, it } from 'vitest';
import { PANEL_ERROR_PHRASES, classifyPanelError } from '../../../src/kinds/panel/panel-error-message.js';

describe('panel error messages', () => {
  it('tells apart the errors the client acts on', () => {
    const messages = [
      'Incorrect order ID',
      'Order not found.',
      'Invalid API key',
      'API key required',
      'API key is incorrect',
      'Unauthorized',
      'Incorrect request',
      'Unsupported action',
      'The selected action is invalid.',
      'Not enough funds on balance',
      'Insufficient balance',
      'Link is invalid',
      'Internal error, try later',
    ];
    expect(Object.fromEntries(messages.map((message) => [message, classifyPanelError(message)]))).toEqual({
      'Incorrect order ID': 'unknown-order',
      'Order not found.': 'unknown-order',
      'Invalid API key': 'auth',
      'API key required': 'auth',
      'API key is incorrect': 'auth',
      Unauthorized: 'auth',
      'Incorrect request': 'unsupported-action',
      'Unsupported action': 'unsupported-action',
      'The selected action is invalid.': 'unsupported-action',
      'Not enough funds on balance': 'insufficient-balance',
      'Insufficient balance': 'insufficient-balance',
      'Link is invalid': 'other',
      'Internal error, try later': 'other',
    });
  });

  it.each(PANEL_ERROR_PHRASES.map((entry) => [entry.phrase, entry.kind, entry.seenIn]))(
    '%j (%s; seen in %s) is classified as written, with a final full stop or in other case',
    (phrase, kind) => {
      expect(classifyPanelError(phrase)).toBe(kind);
      expect(classifyPanelError(`${phrase}.`)).toBe(kind);
      expect(classifyPanelError(` ${phrase.toUpperCase()} `)).toBe(kind);
    },
  );

  it('falls back to patterns for a wording not in the table', () => {
    expect(classifyPanelError('Rate limit reached, slow down')).toBe('rate-limit');
    expect(classifyPanelError('Your API key has been disabled')).toBe('auth');
    expect(classifyPanelError('Maintenance')).toBe('other');
  });
});
