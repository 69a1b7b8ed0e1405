import { describe, expect, it } from 'vitest';
import {
  setReferencedVariables,
  withReferencesResolved,
  withValuesAsReferences,
} from '../../src/config/referenced-values.js';

describe('a checked configuration kept without the values of its variables (config/referenced-values.ts)', () => {
  const set = new Map([
    ['PANEL_KEY', 'k-123'],
    ['PANEL_KEY_LONG', 'k-123-more'],
  ]);

  it('names only the variables the text references, with the values of those set and not empty', () => {
    const found = setReferencedVariables('a: ${PANEL_KEY}\nb: ${UNSET}\nc: ${EMPTY}\nd: $${X', {
      PANEL_KEY: 'k-123',
      EMPTY: '',
      OTHER: 'never-read',
    });
    expect([...found.names]).toEqual(['PANEL_KEY', 'UNSET', 'EMPTY']);
    expect([...found.set]).toEqual([['PANEL_KEY', 'k-123']]);
  });

  it('writes each value back as its reference, the longest first, and resolves to the same value', () => {
    const checked = {
      sources: [{ apiKey: 'k-123', url: 'http://127.0.0.1/k-123-more/x', retries: 3, on: true, none: null }],
      unresolved: ['${LEFT_AS_WRITTEN}'],
    };
    const written = withValuesAsReferences(checked, set);
    expect(written).toEqual({
      sources: [
        { apiKey: '${PANEL_KEY}', url: 'http://127.0.0.1/${PANEL_KEY_LONG}/x', retries: 3, on: true, none: null },
      ],
      unresolved: ['${LEFT_AS_WRITTEN}'],
    });
    expect(JSON.stringify(written)).not.toContain('k-123');
    expect(withReferencesResolved(written, set)).toEqual(checked);
  });

  it('keeps nothing when a value would stay in it: as a key, as a number, or inside what cannot be undone', () => {
    expect(withValuesAsReferences({ 'k-123': 1 }, set)).toBeUndefined();
    expect(withValuesAsReferences({ port: 5432 }, new Map([['PORT', '5432']]))).toBeUndefined();
    expect(withValuesAsReferences({ at: new Date(0) }, set)).toBeUndefined();
    // A value that reads as a reference once written back would resolve to something else: not kept.
    expect(withValuesAsReferences({ a: 'x${PANEL_KEY}' }, new Map([['PANEL_KEY', 'y']]))).toBeUndefined();
  });
});
