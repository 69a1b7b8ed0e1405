import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { UsageError } from '../errors.js';
import type { ApiDestinationKind } from '../pipeline/kinds/index.js';
import type { CommandProcess } from './command.js';
import { apiDestinationKind, apiDestinationNames } from '../app/destination-choices.js';

/** `connect xero` / `disconnect quickbooks`: the one word after the command, a destination kind with an API. */
export function destinationWord(command: string, positionals: readonly string[]): ApiDestinationKind {
  const [word, ...rest] = positionals;
  const names = apiDestinationNames();
  if (word === undefined || rest.length > 0 || !names.includes(word)) {
    throw new UsageError(
      `${command} takes one destination, ${names.join(' or ')}: ledgerline ${command} ${names[0] ?? ''}`,
    );
  }
  return apiDestinationKind(word);
}

/** One line typed on standard input; undefined when input ends first. */
export function readOneLine(prompt: string, context: CommandProcess): Promise<string | undefined> {
  // A piped stdin left referenced would keep the process alive after the command ends.
  const stdin = context.stdin() as Readable & { ref?: () => void; unref?: () => void };
  return new Promise((resolve) => {
    stdin.ref?.();
    const lines = createInterface({ input: stdin, terminal: false });
    context.stderr.write(prompt);
    let answered = false;
    lines.once('line', (line) => {
      answered = true;
      lines.close();
      stdin.pause();
      stdin.unref?.();
      resolve(line);
    });
    lines.once('close', () => {
      if (!answered) resolve(undefined);
    });
  });
}
