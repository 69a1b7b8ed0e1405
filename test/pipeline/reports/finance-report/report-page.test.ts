import { describe, expect, it } from 'vitest';
import { embeddedJson } from '../../../../src/pipeline/reports/finance-report/index.js';

describe('the data embedded in the report page', () => {
  it('cannot close its script element or open a comment, and parses back to the same value', () => {
    const value = { note: 'paid </script><script>alert(1)</script> <!-- \u2028 done' };
    const text = embeddedJson(value);
    expect(text).not.toMatch(/<|\u2028/);
    expect(text).toBe('{"note":"paid \\u003c/script>\\u003cscript>alert(1)\\u003c/script> \\u003c!-- \\u2028 done"}');
    expect(JSON.parse(text)).toEqual(value);
  });
});
