import { describe, expect, it } from 'vitest';
import { registerSourceKind, sourceKinds } from '../../../src/pipeline/kinds/index.js';
import { counterSourceKind } from '../../support/plug-ins/counter-source.js';

describe("the registry's finding words", () => {
  it("collects each registered kind's findings with their words, and forgets them when the kind leaves", () => {
    expect(sourceKinds.findingWords()).not.toHaveProperty('counter_below_zero');
    const unregister = registerSourceKind(counterSourceKind);
    try {
      expect(sourceKinds.findingWords()).toMatchObject({
        counter_below_zero: { title: 'The counter reads below zero' },
        counter_fell: { class: 'information' },
        unknown_order: { title: 'An order the panel does not know' },
        computed_refund: { class: 'information' },
      });
      expect(sourceKinds.findingWords().counter_below_zero).not.toHaveProperty('class');
    } finally {
      unregister();
    }
    expect(sourceKinds.findingWords()).not.toHaveProperty('counter_below_zero');
  });

  it('refuses a kind declaring a finding kind another kind declares, one not in snake case, or a class neither action nor information, naming both', () => {
    const taken = { ...counterSourceKind, findings: { unknown_order: { title: 'Mine', nextStep: 'Look.' } } };
    expect(() => registerSourceKind(taken)).toThrow(
      'source kind "counter" declares finding kind "unknown_order", which kind "panel" declares',
    );
    const misnamed = { ...counterSourceKind, findings: { 'Below Zero': { title: 'Below', nextStep: 'Look.' } } };
    expect(() => registerSourceKind(misnamed)).toThrow(
      'source kind "counter" declares finding kind "Below Zero" badly: expected lower snake case, e.g. unknown_order',
    );
    const unclassed = {
      ...counterSourceKind,
      findings: { counter_low: { title: 'Low', nextStep: 'Look.', class: 'later' as 'action' } },
    };
    expect(() => registerSourceKind(unclassed)).toThrow(
      'source kind "counter" declares finding kind "counter_low" badly: Invalid option: expected one of "action"|"information"',
    );
    expect(sourceKinds.config().map((kind) => kind.kind)).not.toContain('counter');
  });
});
