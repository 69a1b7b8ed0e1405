/**
 * The part of Xero's `where` parameter a client needs to find its own
 * records again: comparisons (`Narration=="x"`, `Status != "DRAFT"`,
 * `Date >= DateTime(2024, 01, 31)`, `ManualJournalID == Guid("…")`), string
 * methods (`Narration.Contains("x")`, `.StartsWith`, `.EndsWith`), AND/&&,
 * OR/|| and parentheses. Anything else is a QueryParseException, as it is in
 * Xero when a filter names a field the type does not have.
 */

export type WhereValue = string | number | boolean | null;

/** Looks a field up by its lower-cased name; Date fields are UTC midnight in milliseconds. */
export type WhereRecord = (lowerCaseField: string) => WhereValue | undefined;

export type WherePredicate = (record: WhereRecord) => boolean;

export class WhereParseError extends Error {
  override readonly name = 'WhereParseError';
}

type Token =
  | { kind: 'word'; text: string }
  | { kind: 'string'; text: string }
  | { kind: 'number'; text: string }
  | { kind: 'symbol'; text: string };

const STRING_METHODS = ['contains', 'startswith', 'endswith'] as const;
type StringMethod = (typeof STRING_METHODS)[number];
const COMPARISONS = ['==', '!=', '>=', '<=', '>', '<'] as const;
type Comparison = (typeof COMPARISONS)[number];

interface Literal {
  value: WhereValue;
  /** Guid("…") compares without regard to case, as GUIDs do. */
  caseInsensitive: boolean;
}

/**
 * Compiles a `where` text against the fields a type has (`fields` in any case,
 * `typeName` for the error text): compileWhere('Narration.Contains("E-7")', …).
 */
export function compileWhere(text: string, fields: readonly string[], typeName: string): WherePredicate {
  const known = new Map(fields.map((field) => [field.toLowerCase(), field]));
  const parser = new Parser(tokenize(text), known, typeName);
  const predicate = parser.parseOr();
  parser.expectEnd();
  return predicate;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index] ?? '';
    if (/\s/.test(char)) {
      index += 1;
      continue;
    }
    if (char === '"') {
      let value = '';
      let cursor = index + 1;
      while (cursor < text.length && text[cursor] !== '"') {
        if (text[cursor] === '\\' && cursor + 1 < text.length) cursor += 1;
        value += text[cursor] ?? '';
        cursor += 1;
      }
      if (cursor >= text.length) throw new WhereParseError('Unterminated string literal');
      tokens.push({ kind: 'string', text: value });
      index = cursor + 1;
      continue;
    }
    const pair = text.slice(index, index + 2);
    if (['==', '!=', '>=', '<=', '&&', '||'].includes(pair)) {
      tokens.push({ kind: 'symbol', text: pair });
      index += 2;
      continue;
    }
    if ('()<>=,'.includes(char)) {
      tokens.push({ kind: 'symbol', text: char === '=' ? '==' : char });
      index += 1;
      continue;
    }
    const number = /^-?\d+(?:\.\d+)?/.exec(text.slice(index));
    if (number) {
      tokens.push({ kind: 'number', text: number[0] });
      index += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(index));
    if (word) {
      tokens.push({ kind: 'word', text: word[0] });
      index += word[0].length;
      continue;
    }
    throw new WhereParseError(`Syntax error at '${text.slice(index, index + 10)}'`);
  }
  return tokens;
}

class Parser {
  private position = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly known: ReadonlyMap<string, string>,
    private readonly typeName: string,
  ) {}

  parseOr(): WherePredicate {
    let left = this.parseAnd();
    while (this.takeJoiner('or', '||')) {
      const first = left;
      const right = this.parseAnd();
      left = (record) => first(record) || right(record);
    }
    return left;
  }

  expectEnd(): void {
    const rest = this.tokens[this.position];
    if (rest) throw new WhereParseError(`Syntax error at '${rest.text}'`);
  }

  private parseAnd(): WherePredicate {
    let left = this.parseTerm();
    while (this.takeJoiner('and', '&&')) {
      const first = left;
      const right = this.parseTerm();
      left = (record) => first(record) && right(record);
    }
    return left;
  }

  private parseTerm(): WherePredicate {
    if (this.takeSymbol('(')) {
      const inner = this.parseOr();
      this.expectSymbol(')');
      return inner;
    }
    const token = this.next();
    if (token?.kind !== 'word') throw new WhereParseError('Expression expected');
    const segments = token.text.split('.');
    const last = (segments.at(-1) ?? '').toLowerCase();
    if (segments.length > 1 && isStringMethod(last) && this.peekSymbol('(')) {
      const field = this.field(segments.slice(0, -1).join('.'));
      this.expectSymbol('(');
      const argument = this.next();
      if (argument?.kind !== 'string') throw new WhereParseError(`${last} expects a string`);
      this.expectSymbol(')');
      return (record) => stringMethod(last, record(field), argument.text);
    }
    const field = this.field(token.text);
    const operator = this.next();
    if (operator?.kind !== 'symbol' || !isComparison(operator.text))
      throw new WhereParseError(`Operator expected after '${token.text}'`);
    const literal = this.parseLiteral();
    return (record) => compare(record(field), operator.text as Comparison, literal);
  }

  private parseLiteral(): Literal {
    const token = this.next();
    if (!token) throw new WhereParseError('Expression expected');
    if (token.kind === 'string') return { value: token.text, caseInsensitive: false };
    if (token.kind === 'number') return { value: Number(token.text), caseInsensitive: false };
    if (token.kind === 'word') {
      const word = token.text.toLowerCase();
      if (word === 'true' || word === 'false') return { value: word === 'true', caseInsensitive: false };
      if (word === 'null') return { value: null, caseInsensitive: false };
      if (word === 'guid') {
        this.expectSymbol('(');
        const id = this.next();
        if (id?.kind !== 'string') throw new WhereParseError('Guid expects a string');
        this.expectSymbol(')');
        return { value: id.text, caseInsensitive: true };
      }
      if (word === 'datetime') return { value: this.parseDateTime(), caseInsensitive: false };
    }
    throw new WhereParseError(`Unexpected '${token.text}'`);
  }

  /** DateTime(2024, 01, 31) → UTC midnight of that day, in milliseconds. */
  private parseDateTime(): number {
    this.expectSymbol('(');
    const parts: number[] = [];
    for (;;) {
      const part = this.next();
      if (part?.kind !== 'number' || !/^\d+$/.test(part.text))
        throw new WhereParseError('DateTime expects whole numbers');
      parts.push(Number(part.text));
      if (this.takeSymbol(')')) break;
      this.expectSymbol(',');
    }
    const [year, month, day] = parts;
    if (parts.length !== 3 || year === undefined || month === undefined || day === undefined) {
      throw new WhereParseError('DateTime expects year, month and day');
    }
    return Date.UTC(year, month - 1, day);
  }

  private field(name: string): string {
    const lower = name.toLowerCase();
    if (!this.known.has(lower))
      throw new WhereParseError(`No property or field '${name}' exists in type '${this.typeName}'`);
    return lower;
  }

  private next(): Token | undefined {
    const token = this.tokens[this.position];
    this.position += 1;
    return token;
  }

  private peekSymbol(symbol: string): boolean {
    const token = this.tokens[this.position];
    return token?.kind === 'symbol' && token.text === symbol;
  }

  private takeSymbol(symbol: string): boolean {
    if (!this.peekSymbol(symbol)) return false;
    this.position += 1;
    return true;
  }

  private expectSymbol(symbol: string): void {
    if (!this.takeSymbol(symbol)) throw new WhereParseError(`'${symbol}' expected`);
  }

  private takeJoiner(word: string, symbol: string): boolean {
    const token = this.tokens[this.position];
    const matches =
      (token?.kind === 'word' && token.text.toLowerCase() === word) ||
      (token?.kind === 'symbol' && token.text === symbol);
    if (matches) this.position += 1;
    return matches;
  }
}

function isStringMethod(name: string): name is StringMethod {
  return (STRING_METHODS as readonly string[]).includes(name);
}

function isComparison(text: string): text is Comparison {
  return (COMPARISONS as readonly string[]).includes(text);
}

function stringMethod(method: StringMethod, value: WhereValue | undefined, argument: string): boolean {
  if (typeof value !== 'string') return false;
  switch (method) {
    case 'contains':
      return value.includes(argument);
    case 'startswith':
      return value.startsWith(argument);
    case 'endswith':
      return value.endsWith(argument);
  }
}

function compare(actual: WhereValue | undefined, operator: Comparison, literal: Literal): boolean {
  const left = literal.caseInsensitive && typeof actual === 'string' ? actual.toLowerCase() : (actual ?? null);
  const right =
    literal.caseInsensitive && typeof literal.value === 'string' ? literal.value.toLowerCase() : literal.value;
  switch (operator) {
    case '==':
      return left === right;
    case '!=':
      return left !== right;
    default:
      if (left === null || right === null || typeof left !== typeof right) return false;
      return ordered(left < right ? -1 : left > right ? 1 : 0, operator);
  }
}

function ordered(sign: number, operator: '>=' | '<=' | '>' | '<'): boolean {
  switch (operator) {
    case '>=':
      return sign >= 0;
    case '<=':
      return sign <= 0;
    case '>':
      return sign > 0;
    case '<':
      return sign < 0;
  }
}
