/**
 * The part of QuickBooks' query language a client needs to find its own
 * entries and read the chart: `SELECT * | COUNT(*) FROM Entity [WHERE f op v
 * [AND …]] [ORDERBY f [ASC|DESC], …] [STARTPOSITION n] [MAXRESULTS n]`, with
 * the operators =, <, >, <=, >=, LIKE ('%' wildcards) and IN ('a', 'b').
 * As in QuickBooks there is no OR, keywords and entity names ignore case, and
 * filtering on a field the entity does not index is a 4001 QueryValidationError.
 */

export const QUERY_FIELD_KINDS = ['text', 'date', 'datetime', 'boolean', 'id'] as const;
export type QueryFieldKind = (typeof QUERY_FIELD_KINDS)[number];

/** An entity's canonical name and its filterable fields, by canonical field name. */
export interface QueryableEntity {
  name: string;
  fields: Readonly<Record<string, QueryFieldKind>>;
}

export type QueryValue = string | boolean;

export const QUERY_OPERATORS = ['=', '<', '>', '<=', '>=', 'like', 'in'] as const;
export type QueryOperator = (typeof QUERY_OPERATORS)[number];

export interface QueryCondition {
  field: string;
  kind: QueryFieldKind;
  operator: QueryOperator;
  values: readonly QueryValue[];
}

export interface ParsedQuery {
  entity: string;
  count: boolean;
  conditions: readonly QueryCondition[];
  orderBy: readonly { field: string; kind: QueryFieldKind; descending: boolean }[];
  /** 1-based, as QuickBooks counts. */
  startPosition: number;
  maxResults: number;
}

/** 4000: the text cannot be parsed; 4001: it parses but asks for something the entity does not allow. */
export class QueryError extends Error {
  override readonly name = 'QueryError';
  constructor(
    readonly code: '4000' | '4001',
    message: string,
  ) {
    super(message);
  }
}

const DEFAULT_MAX_RESULTS = 100;
const MAX_MAX_RESULTS = 1000;

type Token = { kind: 'word'; text: string } | { kind: 'string'; text: string } | { kind: 'symbol'; text: string };

export function parseQuery(text: string, entities: readonly QueryableEntity[]): ParsedQuery {
  const reader = new TokenReader(tokenize(text));
  reader.expectWord('select');
  const count = readProjection(reader);
  reader.expectWord('from');
  const entityToken = reader.next();
  const entity = entities.find(
    (candidate) => entityToken?.kind === 'word' && candidate.name.toLowerCase() === entityToken.text.toLowerCase(),
  );
  if (!entity)
    throw new QueryError('4001', `QueryValidationError: Entity '${entityToken?.text ?? ''}' is not supported`);
  const conditions = readWhere(reader, entity);
  const orderBy = readOrderBy(reader, entity);
  const { startPosition, maxResults } = readPaging(reader);
  const rest = reader.peek();
  if (rest) throw parseError(rest, 'the end of the query');
  return { entity: entity.name, count, conditions, orderBy, startPosition: Math.max(1, startPosition), maxResults };
}

/** The query's tokens, read one at a time. */
class TokenReader {
  private position = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  peek(): Token | undefined {
    return this.tokens[this.position];
  }

  next(): Token | undefined {
    return this.tokens[this.position++];
  }

  nextIsWord(word: string): boolean {
    return isWord(this.peek(), word);
  }

  nextIsSymbol(symbol: string): boolean {
    const token = this.peek();
    return token?.kind === 'symbol' && token.text === symbol;
  }

  expectWord(word: string): void {
    const token = this.next();
    if (!isWord(token, word)) throw parseError(token, word.toUpperCase());
  }

  expectSymbol(symbol: string): void {
    const token = this.next();
    if (token?.kind !== 'symbol' || token.text !== symbol) throw parseError(token, symbol);
  }

  /** A field of the entity, named in any case, that the entity lets a query filter or sort on. */
  field(entity: QueryableEntity): { field: string; kind: QueryFieldKind } {
    const token = this.next();
    if (token?.kind !== 'word') throw parseError(token, 'a field name');
    const name = Object.keys(entity.fields).find((candidate) => candidate.toLowerCase() === token.text.toLowerCase());
    const kind = name === undefined ? undefined : entity.fields[name];
    if (name === undefined || kind === undefined)
      throw new QueryError('4001', `QueryValidationError: property '${token.text}' is not queryable`);
    return { field: name, kind };
  }

  literal(): QueryValue {
    const token = this.next();
    if (token?.kind === 'string') return token.text;
    if (isWord(token, 'true') || isWord(token, 'false')) return token?.text.toLowerCase() === 'true';
    if (token?.kind === 'word' && /^-?\d+(\.\d+)?$/.test(token.text)) return token.text;
    throw parseError(token, 'a value');
  }
}

function isWord(token: Token | undefined, word: string): boolean {
  return token?.kind === 'word' && token.text.toLowerCase() === word;
}

/** `*` or `COUNT(*)`: true for a count. */
function readProjection(reader: TokenReader): boolean {
  const projection = reader.next();
  if (isWord(projection, 'count')) {
    reader.expectSymbol('(');
    reader.expectSymbol('*');
    reader.expectSymbol(')');
    return true;
  }
  if (projection?.kind !== 'symbol' || projection.text !== '*') {
    throw new QueryError('4001', 'QueryValidationError: the sandbox answers SELECT * and SELECT COUNT(*) only');
  }
  return false;
}

function readWhere(reader: TokenReader, entity: QueryableEntity): QueryCondition[] {
  const conditions: QueryCondition[] = [];
  if (!reader.nextIsWord('where')) return conditions;
  reader.next();
  do {
    const { field: name, kind } = reader.field(entity);
    const operatorToken = reader.next();
    const operator = operatorOf(operatorToken);
    if (!operator) throw parseError(operatorToken, 'an operator');
    const values: QueryValue[] = [];
    if (operator === 'in') {
      reader.expectSymbol('(');
      values.push(reader.literal());
      while (reader.nextIsSymbol(',')) {
        reader.next();
        values.push(reader.literal());
      }
      reader.expectSymbol(')');
    } else {
      values.push(reader.literal());
    }
    conditions.push({ field: name, kind, operator, values });
    if (reader.nextIsWord('or')) throw new QueryError('4000', 'QueryParserError: OR is not supported');
  } while (reader.nextIsWord('and') && reader.next());
  return conditions;
}

function readOrderBy(
  reader: TokenReader,
  entity: QueryableEntity,
): { field: string; kind: QueryFieldKind; descending: boolean }[] {
  const orderBy: { field: string; kind: QueryFieldKind; descending: boolean }[] = [];
  if (!reader.nextIsWord('orderby')) return orderBy;
  reader.next();
  do {
    const ordered = reader.field(entity);
    let descending = false;
    if (reader.nextIsWord('desc') || reader.nextIsWord('asc'))
      descending = reader.next()?.text.toLowerCase() === 'desc';
    orderBy.push({ ...ordered, descending });
  } while (reader.nextIsSymbol(',') && reader.next());
  return orderBy;
}

/** STARTPOSITION and MAXRESULTS, in either order, the last of each winning. */
function readPaging(reader: TokenReader): { startPosition: number; maxResults: number } {
  let startPosition = 1;
  let maxResults = DEFAULT_MAX_RESULTS;
  for (;;) {
    if (reader.nextIsWord('startposition')) {
      reader.next();
      startPosition = wholeNumber(reader.next());
    } else if (reader.nextIsWord('maxresults')) {
      reader.next();
      maxResults = Math.min(MAX_MAX_RESULTS, wholeNumber(reader.next()));
    } else {
      return { startPosition, maxResults };
    }
  }
}

/** Whether a record passes every condition; `read` returns the record's value of a canonical field. */
export function matchesQuery(
  read: (field: string) => QueryValue | undefined,
  conditions: readonly QueryCondition[],
): boolean {
  return conditions.every((condition) => {
    const actual = read(condition.field);
    if (actual === undefined) return false;
    switch (condition.operator) {
      case 'in':
        return condition.values.some((value) => compareValues(actual, value, condition.kind) === 0);
      case 'like': {
        const pattern = String(condition.values[0] ?? '');
        const regex = new RegExp(`^${pattern.split('%').map(escapeRegExp).join('.*')}$`, 'i');
        return typeof actual === 'string' && regex.test(actual);
      }
      default: {
        const sign = compareValues(actual, condition.values[0] ?? '', condition.kind);
        return sign !== undefined && signMatches(sign, condition.operator);
      }
    }
  });
}

/** Orders two values of a field's kind; undefined when they cannot be compared. */
export function compareValues(left: QueryValue, right: QueryValue, kind: QueryFieldKind): number | undefined {
  switch (kind) {
    case 'boolean':
      return left === right ? 0 : typeof left === 'boolean' && typeof right === 'boolean' ? (left ? 1 : -1) : undefined;
    case 'id': {
      const a = String(left);
      const b = String(right);
      return /^\d+$/.test(a) && /^\d+$/.test(b)
        ? Math.sign(a.length - b.length) || (a < b ? -1 : a > b ? 1 : 0)
        : a === b
          ? 0
          : undefined;
    }
    case 'datetime': {
      const a = Date.parse(String(left));
      const b = Date.parse(String(right));
      return Number.isNaN(a) || Number.isNaN(b) ? undefined : Math.sign(a - b);
    }
    case 'date':
    case 'text': {
      const a = String(left);
      const b = String(right);
      return a < b ? -1 : a > b ? 1 : 0;
    }
  }
}

function signMatches(sign: number, operator: '=' | '<' | '>' | '<=' | '>='): boolean {
  switch (operator) {
    case '=':
      return sign === 0;
    case '<':
      return sign < 0;
    case '>':
      return sign > 0;
    case '<=':
      return sign <= 0;
    case '>=':
      return sign >= 0;
  }
}

function operatorOf(token: Token | undefined): QueryOperator | undefined {
  if (token?.kind === 'symbol' && ['=', '<', '>', '<=', '>='].includes(token.text)) return token.text as QueryOperator;
  if (token?.kind === 'word' && ['like', 'in'].includes(token.text.toLowerCase()))
    return token.text.toLowerCase() as QueryOperator;
  return undefined;
}

function wholeNumber(token: Token | undefined): number {
  if (token?.kind !== 'word' || !/^\d{1,9}$/.test(token.text)) throw parseError(token, 'a whole number');
  return Number.parseInt(token.text, 10);
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
    if (char === "'" || char === '"') {
      let value = '';
      let cursor = index + 1;
      for (;;) {
        if (cursor >= text.length) throw new QueryError('4000', 'QueryParserError: unterminated string');
        const inner = text[cursor] ?? '';
        if (inner === '\\' && cursor + 1 < text.length) {
          value += text[cursor + 1] ?? '';
          cursor += 2;
        } else if (inner === char && text[cursor + 1] === char) {
          value += char;
          cursor += 2;
        } else if (inner === char) {
          break;
        } else {
          value += inner;
          cursor += 1;
        }
      }
      tokens.push({ kind: 'string', text: value });
      index = cursor + 1;
      continue;
    }
    const pair = text.slice(index, index + 2);
    if (pair === '<=' || pair === '>=' || pair === '!=') {
      if (pair === '!=')
        throw new QueryError('4000', 'QueryParserError: Encountered "!=", which is not a supported operator');
      tokens.push({ kind: 'symbol', text: pair });
      index += 2;
      continue;
    }
    if ('=<>(),*'.includes(char)) {
      tokens.push({ kind: 'symbol', text: char });
      index += 1;
      continue;
    }
    const word = /^[A-Za-z0-9_.:+-]+/.exec(text.slice(index));
    if (!word) throw new QueryError('4000', `QueryParserError: Encountered "${char}" at column ${index + 1}`);
    tokens.push({ kind: 'word', text: word[0] });
    index += word[0].length;
  }
  return tokens;
}

function parseError(token: Token | undefined, expected: string): QueryError {
  return new QueryError(
    '4000',
    `QueryParserError: Encountered "${token?.text ?? '<EOF>'}" where ${expected} was expected`,
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
