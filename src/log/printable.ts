import { UsageError } from '../errors.js';

/**
 * What a terminal must never be handed from outside: C0 controls, DEL, C1 controls, the line and paragraph
 * separators, U+FFFD (a byte that was not text) and the bidirectional marks, embeddings, overrides and isolates,
 * which make a terminal show other text than the bytes hold.
 */
const NOT_SHOWN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufffd\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;

/** Each character of NOT_SHOWN written as its escape, except those `kept`. escaped('a\u202eb') === 'a\\u202eb'. */
function escaped(text: string, kept: (char: string) => boolean): string {
  return text.replace(NOT_SHOWN, (char) =>
    kept(char) ? char : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Text from a file or a command line made safe to show on a terminal, on one line: control characters (which could
 * move the cursor or recolour the screen) and bidirectional controls are written as escapes, and long text is cut.
 * printable('ab\u0007c') === 'ab\\u0007c'.
 */
export function printable(text: string, maxLength = 80): string {
  const cut = text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
  return escaped(cut, () => false);
}

/**
 * A whole message made safe to print as it is written out (an error, a log line, a finding): every character
 * printable() escapes, except its line breaks and tabs, which lay the message out, and U+FFFD, which a bank text
 * read clean already holds (cleanRead) and moves no cursor. Example: an error echoing
 * `--period "\u001b]0;t\u00072026-03"` prints `--period \\u001b]0;t\\u00072026-03`.
 */
export function printableLines(text: string): string {
  return escaped(text, (char) => char === '\n' || char === '\t' || char === '\ufffd');
}

/**
 * The one rule for text that enters the books (reasons, notes, bank texts and ids): no C0 control (tab and line
 * breaks included: each of these texts is one line), no DEL, no C1 control, no line or paragraph separator and no
 * bidirectional override, embedding, isolate or mark, which would make an export, a chained description or a
 * terminal show other text than the bytes hold.
 */
const UNCLEAN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;
const WHITESPACE_CONTROL = /^[\t\n\v\f\r\u2028\u2029]$/;
/** What a statement's control character reads as once replaced: one visible mark per character. */
const REPLACED_CHARACTER = '\ufffd';

/**
 * Text typed by a person (a flag, a form field), checked at input: returned as it is, or refused naming the field and
 * the first character the rule keeps out. Example: cleanInput('--reason', 'fee\u001b[31m') throws
 * `--reason holds a control character (U+001B, at character 4): type it without`.
 */
export function cleanInput(field: string, text: string): string {
  UNCLEAN.lastIndex = 0;
  const found = UNCLEAN.exec(text);
  if (found === null) return text;
  const code = found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  throw new UsageError(
    `${field} holds a control character (U+${code}, at character ${found.index + 1}): type it without; nothing was written`,
  );
}

/**
 * Text read from a file a bank wrote, made clean at input: each whitespace control (a tab, a line break) is a space,
 * each other character the rule keeps out is one U+FFFD. Example: 'PAYPAL\tTRANSFER\u0007' → 'PAYPAL TRANSFER\ufffd'.
 */
export function cleanRead(text: string): string {
  UNCLEAN.lastIndex = 0;
  if (!UNCLEAN.test(text)) return text;
  return text.replace(UNCLEAN, (char) => (WHITESPACE_CONTROL.test(char) ? ' ' : REPLACED_CHARACTER));
}

/** 'a, b or c' */
export function listed(choices: readonly string[]): string {
  return choices.length <= 1 ? (choices[0] ?? '') : `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)!}`;
}
