import { describe, expect, it } from 'vitest';
import { interpretRemains } from '../../../../src/kinds/panel/rules/normalize-status.js';

describe('remains', () => {
  it('over-delivery, written "+N" or negative, leaves nothing to refund', () => {
    expect(interpretRemains('+12', 1000n)).toBe(0n);
    expect(interpretRemains('-3', 1000n)).toBe(0n);
  });

  it('is clamped to the quantity ordered', () => {
    expect(interpretRemains('1200', 1000n)).toBe(1000n);
    expect(interpretRemains(' 157 ', 1000n)).toBe(157n);
    expect(interpretRemains('1200', undefined)).toBe(1200n);
  });

  it('is unknown when missing or not a number', () => {
    expect(interpretRemains(undefined, 1000n)).toBeUndefined();
    expect(interpretRemains('Unknown', 1000n)).toBeUndefined();
    expect(interpretRemains('', 1000n)).toBeUndefined();
    expect(interpretRemains('15.5', 1000n)).toBeUndefined();
  });
});
