/**
 * The judging's parts, for a caller that writes each item's report as it goes (`transit --json`: a year's
 * 100,000 items are never all held as reports at once, issue 72): the judgement, one standing's report item, the
 * whole report of a judgement, and whether a person must look. Exported from the folder as one namespace.
 */
export {
  judgeTransit as judge,
  transitNeedsALook as needsALook,
  transitReport as report,
  transitReportItem as reportItem,
  type TransitJudgement as Judgement,
} from './money-in-transit.js';
