/**
 * The judging's parts, for a caller that writes each item's report as it goes (`transit --json`: a year's 100,000
 * items are never all held at once, issue 72): the judgement, one standing's report item and the whole report of a
 * judgement. Exported from the folder as one namespace.
 */
export {
  judgeTransit as judge,
  transitReport as report,
  transitReportItem as reportItem,
  type TransitJudgement as Judgement,
} from './money-in-transit.js';
