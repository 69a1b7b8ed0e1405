import { ConfigError } from '../../errors.js';
import { streamOrdersFile, unusableOrdersFile, type OrdersFileOrder, type OrdersFileProblem } from './orders-file.js';
import type { CloseContext } from '../../pipeline/sync/index.js';
import { freshRow, type FreshOrder } from './panel-close-orders.js';

/**
 * Reads the orders files a backfill names, handing their good rows to `onOrders` a batch at a time,
 * and returns their problems ("orders.csv line 7: …"); a file whose header is unusable stops the
 * run before any call is made.
 */
export async function readPanelOrdersFiles(
  paths: readonly string[],
  onOrders: (orders: OrdersFileOrder[]) => Promise<void>,
): Promise<string[]> {
  const problems: string[] = [];
  for (const path of paths) {
    const reading = await streamOrdersFile(path, onOrders);
    if (!reading.headerUsable) throw new ConfigError(reading.problems);
    for (const problem of problemLines(reading.problems)) problems.push(problem);
  }
  return problems;
}

/** Stops the run before any call is made when one of a panel sync's orders files has no usable header; the rows are read by its close. */
export async function refuseUnusableOrdersFiles(paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    const problems = await unusableOrdersFile(path);
    if (problems !== undefined) throw new ConfigError(problems);
  }
}

/**
 * The orders the files name that the ledger does not hold. Outside a dry run each batch read is
 * registered at once, so a first import never holds its 200,000 rows and none is left fresh: the
 * close finds what to poll and their quantities in the orders table (a close that fails after
 * leaves them registered, never booked). A dry run writes nothing and keeps them. The files are
 * read last first, since first sight wins: a row of the later file counts, as it always has.
 */
export async function fileOrdersNotHeld(
  context: CloseContext,
  sourceId: string,
  paths: readonly string[],
  onProblems: (problems: string[]) => void,
): Promise<Map<string, FreshOrder>> {
  const books = context.books;
  const meta = { firstSeenDate: context.asOf, now: context.now() };
  const fresh = new Map<string, FreshOrder>();
  const problems = new Map<string, OrdersFileProblem[]>();
  for (const path of [...paths].reverse()) {
    const reading = await streamOrdersFile(path, async (orders) => {
      // A read first: a cumulative file lists every order ever placed, and writing each known one again
      // (even as a no-op) made such a nightly sync about four times slower.
      const held = await books.knownOrderIds(
        sourceId,
        orders.map((order) => order.orderId),
      );
      const unheld = orders.filter((order) => !held.has(order.orderId));
      if (!context.dryRun) {
        if (unheld.length > 0)
          await books.unit((tx) =>
            tx.registerOrders(
              sourceId,
              unheld.map((order) => freshRow(order.orderId, order)),
              meta,
            ),
          );
        return;
      }
      for (const order of unheld) if (!fresh.has(order.orderId)) fresh.set(order.orderId, order);
    });
    problems.set(path, reading.problems);
  }
  onProblems(paths.flatMap((path) => problemLines(problems.get(path) ?? [])));
  return fresh;
}

function problemLines(problems: readonly OrdersFileProblem[]): string[] {
  return problems.map((problem) => `${problem.file} line ${problem.line}: ${problem.message}`);
}
