import type { DoctorCheck } from './doctor-checklist.js';

/** How doctor marks each check's result. */
const MARKS = { pass: '✓', fail: '✗', warn: '!' } as const;

/** Doctor's checklist as text: the checks under their area, a fix under each that did not pass, then the tally. */
export function doctorText(checks: readonly DoctorCheck[]): string {
  const lines: string[] = [];
  let area: string | undefined;
  for (const check of checks) {
    if (check.area !== area) {
      area = check.area;
      lines.push(area);
    }
    lines.push(`  ${MARKS[check.status]} ${check.subject}: ${check.detail}`);
    if (check.fix !== undefined && check.status !== 'pass') lines.push(`      fix: ${check.fix}`);
  }
  const failures = checks.filter((check) => check.status === 'fail').length;
  const warnings = checks.filter((check) => check.status === 'warn').length;
  lines.push(
    failures === 0
      ? `all ${checks.length} checks passed${warnings > 0 ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}`
      : `${failures} to fix${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}
