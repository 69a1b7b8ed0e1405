import type { closePeriod } from './period-close.js';

/** What `close` says: the certificate written and its hashes, or each thing that blocks the period. */
export function renderClose(outcome: Awaited<ReturnType<typeof closePeriod>>): string {
  if (!outcome.closed)
    return [
      `${outcome.period} is not closed: ${outcome.blockers.length} thing(s) block it`,
      ...outcome.blockers.map((blocker) => `  ${blocker.kind}  ${blocker.message}`),
      '',
    ].join('\n');
  return [
    `${outcome.period} closed: certificate ${outcome.certificateFile}`,
    `  sha256 ${outcome.certificateSha256}`,
    `  chain head at the period end ${outcome.chainHead}`,
    `  nothing is booked on or before ${outcome.certificate.periodEnd} from now on; a correction is an adjusting entry in the first open period`,
    '',
  ].join('\n');
}
