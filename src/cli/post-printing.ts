import { EXIT } from '../errors.js';
import { renderPostReport, renderPostRun, type PostReport } from '../pipeline/post/index.js';
import type { PostRunResult } from '../app/post-to.js';
import type { CommandProcess } from './command.js';
import { writeJson } from './write-json.js';

type BankDocuments = Extract<PostRunResult, { kind: 'posted' }>['bankDocuments'];

/**
 * What `post` prints of its run's result: with --plan the budget's plan, with --dry-run the dry run's plan, else
 * the report of the post and of the bank-side documents it created (pipeline/post's post-text.ts), or their JSON.
 */
export function printPostRun(context: CommandProcess, name: string, result: PostRunResult, plan: boolean): void {
  if (result.kind === 'posted') printPostReport(context, name, result.report, result.bankDocuments);
  else if (!context.json) context.stdout.write(context.redact(renderPostRun(name, result, plan)));
  else if (plan)
    writeJson(context, {
      destination: name,
      entries: result.plan.entries.length,
      heldBack: result.plan.toRefuse,
      ...result.nights,
    });
  else writeJson(context, result.plan);
}

/** What a post prints of its report (and of the bank-side documents it created): JSON, or the summary text, and the error that stopped it early on stderr. */
export function printPostReport(
  context: CommandProcess,
  name: string,
  report: PostReport,
  bankDocuments?: BankDocuments,
): void {
  if (context.json) writeJson(context, bankDocuments === undefined ? report : { ...report, bankDocuments });
  else context.stdout.write(context.redact(renderPostReport(name, report, bankDocuments)));
  // A stop asked for (exit 0) is no error: it says why the post ended early.
  if (report.stoppedBy)
    context.stderr.write(
      `${context.redact(`${report.stoppedBy.exitCode === EXIT.ok ? 'stopped' : 'error'}: ${report.stoppedBy.message}`)}\n`,
    );
}
