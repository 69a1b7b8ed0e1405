import type { StatusReader } from '../app/status-facts-read.js';
import { booksDays } from '../app/books-days.js';
import type { CommandProcess } from './command.js';
import { withBooksFor } from '../app/configured-books.js';

/** How a command hands the status reads (app/status-facts-read.ts) its clock, the books' days and its books opened for reading. */
export function statusReader(context: CommandProcess): StatusReader {
  return {
    now: () => context.now(),
    booksDays: (config) => booksDays(config, context),
    withReadBooks: (config, work) => withBooksFor(config, { forReading: true }, work),
  };
}
