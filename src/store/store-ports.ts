import { journalBooksOver } from './journal-books-store.js';
import type { LedgerStore } from './ledger-store.js';

/**
 * Every port the store implements, over one open store: the composition root's one way in (src/app).
 * Each is declared by the use case that needs it (ledger/journal-books.ts, pipeline/<use case>/…), and each
 * adapter is written `satisfies` that declaration where it is built. Each adapter is built the first
 * time a command asks for it, and once: a command that reads balances builds no sync, post or proxy adapter.
 */
export const storePorts = (store: LedgerStore) =>
  builtWhenAsked({
    journal: () => journalBooksOver(store),
  });

/** An object whose each property is its builder's result, built on the first read of it and kept. */
function builtWhenAsked<Builders extends Record<string, unknown>>(builders: {
  [Name in keyof Builders]: () => Builders[Name];
}): Readonly<Builders> {
  const ports = {} as Builders;
  for (const name of Object.keys(builders) as (keyof Builders & string)[]) {
    let built: { port: Builders[typeof name] } | undefined;
    Object.defineProperty(ports, name, { enumerable: true, get: () => (built ??= { port: builders[name]() }).port });
  }
  return ports;
}
