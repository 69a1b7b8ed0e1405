import { request } from 'undici';
import { UsageError } from '../../errors.js';
import { apiDestinationNames } from '../destination-choices.js';
import { expectOk, type SubcommandRunner } from './steps.js';

/** What the demo's person writes beside each thing it settles: a person would look first; the demo did it for them. */
const DEMO_NOTE = 'settled by ledgerline demo (a person looks at it first)';

interface TransitJson {
  items: { id: string; state: string }[];
}
interface BankLinesJson {
  lines: { bankLine: string; date: string; amount: string; reference: string }[];
}
interface CloseJson {
  blockers?: { kind: string; ref: string }[];
}

/**
 * What a person settles before closing March, as the demo does it through the real commands: each `differs` item
 * accepted with a note (its fee booked), each statement line no item took booked with `adjust` (a fee to
 * bank_fees, anything else to suspense, for the accountant to code), the open action items acknowledged with a
 * note saying the demo did it, then posted to each destination (both fakes). Returns one line per step.
 */
export async function settleForClose(run: SubcommandRunner): Promise<string[]> {
  const transit = JSON.parse((await run(['transit', '--json'])).stdout) as TransitJson;
  const differs = transit.items.filter((item) => item.state === 'differs');
  for (const item of differs)
    await expectOk(
      run(['transit', 'accept', item.id, '--note', `the bank's fee; ${DEMO_NOTE}`]),
      `transit accept ${item.id}`,
    );
  const stray = (JSON.parse((await run(['bank', 'lines', '--unmatched', '--json'])).stdout) as BankLinesJson).lines;
  for (const line of stray) await expectOk(run(adjustmentOf(line)), `adjust for ${line.bankLine}`);
  const blockers =
    (JSON.parse((await run(['close', '--period', '2026-03', '--json'])).stdout) as CloseJson).blockers ?? [];
  const items = blockers.filter((blocker) => blocker.kind === 'open_action_item');
  for (const item of items)
    await expectOk(run(['reconcile', 'ack', item.ref, '--note', DEMO_NOTE]), `reconcile ack ${item.ref}`);
  const posted: string[] = [];
  for (const destination of apiDestinationNames()) {
    const result = await run(['post', destination]);
    posted.push(`${destination} exit ${result.exitCode}`);
  }
  return [
    `   transit accept: ${differs.length} item(s) whose bank line differs by a fee (${differs.map((item) => item.id).join(', ') || 'none'})`,
    `   adjust: ${stray.length} statement line(s) no item took (${stray.map((line) => `${line.reference} ${line.amount}`).join('; ') || 'none'})`,
    `   reconcile ack: ${items.length} action item(s), noted "${DEMO_NOTE}"`,
    `   post: ${posted.join(', ')} (bank legs and bank-line adjustments reach Xero as bank transactions on 090)`,
  ];
}

/** A stray line as an adjusting entry on its day, settling it: money out to bank_fees (a fee) or suspense, money in from suspense. */
function adjustmentOf(line: BankLinesJson['lines'][number]): string[] {
  const out = line.amount.startsWith('-');
  const amount = out ? line.amount.slice(1) : line.amount;
  const other = out && /\bFEE\b/.test(line.reference) ? 'bank_fees' : 'suspense';
  const [debit, credit] = out ? [other, 'bank'] : ['bank', other];
  return [
    'adjust',
    '--date',
    line.date,
    '--debit',
    `${debit}=${amount}`,
    '--credit',
    `${credit}=${amount}`,
    '--reason',
    `${line.reference}, bank line ${line.bankLine}; ${DEMO_NOTE}`,
    '--settles',
    line.bankLine,
  ];
}

/** The accountant's lock through March at both fakes, through their admin calls (as `ledgerline sandbox --help` shows them). */
export async function lockMarchAtFakes(baseUrl: string): Promise<void> {
  await adminPost(`${baseUrl}/xero/__admin/lock-dates`, { periodLockDate: '2026-03-31' });
  await adminPost(`${baseUrl}/quickbooks/__admin/close-date`, { bookCloseDate: '2026-03-31' });
}

async function adminPost(url: string, body: unknown): Promise<void> {
  const reply = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await reply.body.text();
  if (reply.statusCode !== 200)
    throw new UsageError(`demo: ${url} answered ${reply.statusCode}: ${text.slice(0, 200)}`);
}
