import { describe, expect, it } from 'vitest';
import { closestName, didYouMean } from '../../src/config/did-you-mean.js';

describe('closestName', () => {
  it('takes two swapped neighbouring letters as one slip', () => {
    expect(closestName('snyc', ['sync', 'post', 'status'])).toBe('sync');
    expect(closestName('exprot', ['export', 'reconcile'])).toBe('export');
  });

  it('ignores case and allows a third of the letters to differ', () => {
    expect(closestName('apikey', ['apiKey', 'url'])).toBe('apiKey');
    expect(closestName('statsu', ['status'])).toBe('status');
  });

  it('suggests nothing for a word that is not close to any name', () => {
    expect(closestName('payroll', ['sync', 'post'])).toBeUndefined();
    expect(didYouMean('xyz', ['sync'])).toBe('');
  });
});
