import { addDays } from '../src/calendar/index.js';
import type { OrderDraft, OrderStep } from './world-model.js';
import type { SeededRandom } from './seeded-random.js';

const OUTCOMES = ['completed', 'partial', 'canceled', 'failed', 'slow'] as const;
type Outcome = (typeof OUTCOMES)[number];

const OUTCOME_WEIGHTS: readonly (readonly [Outcome, number])[] = [
  ['completed', 70],
  ['partial', 14],
  ['canceled', 8],
  ['failed', 2],
  ['slow', 6],
];

/**
 * A realistic life for a new order: Pending on the day it is placed, In
 * progress the next day, then Completed, Partial, Canceled or Failed within a
 * few days (a few linger a week or more). A Custom Comments Package usually
 * completes below its upper bound: Completed with remains > 0.
 */
export function randomOrderSteps(random: SeededRandom, placedOn: string, draft: OrderDraft): OrderStep[] {
  const quantity = draft.quantity;
  const steps: OrderStep[] = [{ on: placedOn, status: 'Pending', remains: String(quantity) }];
  const outcome = random.weighted(OUTCOME_WEIGHTS);
  if (outcome === 'canceled' || outcome === 'failed') {
    steps.push({
      on: addDays(placedOn, random.int(1, 2)),
      status: outcome === 'canceled' ? 'Canceled' : 'Failed',
      remains: String(quantity),
    });
    return steps;
  }
  const startedOn = addDays(placedOn, 1);
  steps.push({
    on: startedOn,
    status: 'In progress',
    remains: String(quantity - Math.floor((quantity * random.int(30, 70)) / 100)),
  });
  const finishedOn = addDays(startedOn, outcome === 'slow' ? random.int(6, 9) : random.int(1, 3));
  if (outcome === 'partial') {
    const undelivered = Math.max(1, Math.floor((quantity * random.int(5, 40)) / 100));
    steps.push({ on: finishedOn, status: 'Partial', remains: String(Math.min(undelivered, quantity - 1)) });
    return steps;
  }
  steps.push({ on: finishedOn, status: 'Completed', remains: String(packageShortfall(random, draft)) });
  return steps;
}

/** Comments a package did not deliver: each post got between min and max, the charge assumed max. */
function packageShortfall(random: SeededRandom, draft: OrderDraft): number {
  if (draft.service.type !== 'Custom Comments Package') return 0;
  const posts = draft.posts ?? 1;
  const min = draft.minPerPost ?? draft.maxPerPost ?? 0;
  const max = draft.maxPerPost ?? 0;
  if (min >= max || !random.chance(0.6)) return 0;
  let shortfall = 0;
  for (let post = 0; post < posts; post += 1) shortfall += max - random.int(min, max);
  return shortfall;
}
