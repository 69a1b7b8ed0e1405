/** What the scanner hands on: an element opened (its local name, "Ntry" for "camt:Ntry", and attributes) or closed (its text since the last tag). */
interface ScannedTags {
  open(localName: string, attributes: Readonly<Record<string, string>>): void;
  close(text: string): void;
}

/** Whether a write was read whole, or met what the scanner does not read (the file is then saxes' to read, whole). */
type ScanOutcome = 'read' | 'outside';

/** A tag or comment left unfinished at a chunk's end is awaited this far; past it, the file is saxes'. */
const LONGEST_CONSTRUCT = 64 * 1024;
/** How much of a chunk is read with what the last one left unread. */
const BRIDGE = LONGEST_CONSTRUCT;
/** Text without a tag for longer than this is not a bank's: saxes reads it. */
const LONGEST_CARRY = 8 * 1024 * 1024;
/** 1 for a character a name may start with, 2 for one it may go on with (the ASCII subset), 0 for any other UTF-16 unit. */
const NAME_CHARACTERS = nameCharacters();
/** Children a name keeps made once; past this, a name is sliced each time (no bank writes so many). */
const MOST_CHILDREN = 64;
const MOST_ATTRIBUTE_SETS = 256;
/** What an attribute's value may not hold here: saxes refuses "<", reads "&" as an entity and a tab or line break as a space. */
const REFUSED_IN_VALUES = /[<&\t\n\r]/;
const SPACE_CHARACTERS = new Set([0x20, 0x09, 0x0d, 0x0a]);
const SPACES = /[ \t\r\n]*/y;
const DECLARATION =
  /<\?xml version=(["'])1\.0\1(?: encoding=(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?: standalone=(["'])(?:yes|no)\3)?[ \t\r\n]*\?>/y;
const ENTITY = /&(?:(lt|gt|amp|quot|apos)|#([0-9]+)|#x([0-9A-Fa-f]+));/y;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
/** Characters XML 1.0 refuses, and U+FFFD: the reader's mark of bytes that were not UTF-8. */
const REFUSED_CHARACTERS = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFD\uFFFE\uFFFF]/;
const LONE_CR = /\r(?!\n)/;
const ONLY_SPACES = /^[ \t\r\n]*$/;
const NO_ATTRIBUTES: Readonly<Record<string, string>> = Object.freeze(Object.create(null) as Record<string, string>);

/** Whether the construct at a "<" was read; one not read is awaited (its end may be in the next chunk) or is outside. */
type Step = 'read' | 'unread';

/**
 * A camt.053 reader cheaper than saxes for what a bank writes (issue 56): indexOf for each "<", a stack of the
 * open names, and only the subset machine-written statements use: the XML declaration (version 1.0), elements
 * with or without a prefix, attributes quoted either way, the five predefined entities and character references
 * in text, CDATA (whose text saxes hands to no text handler, so neither does this), comments, CRLF line ends.
 * Well-formedness is checked as it goes (every close matches its open, one root, nothing but space outside it,
 * no character XML refuses). Anything else (a DOCTYPE, a processing instruction, an unknown entity, a mismatched
 * or unclosed tag, a byte that was not UTF-8, a lone CR) is 'outside': the caller reads the whole file with saxes
 * instead, which gives today's errors and results. What it hands on equals what saxes' opentag, text and closetag
 * give the camt reader; `line()` is saxes' line at the open tag just handed on (the line of its ">").
 */
export class CamtScanner {
  private buffer = '';
  private position = 0;
  /** The open elements' names; the document's own node is the parent of the root. */
  private readonly names: ElementName[] = [];
  private readonly document: ElementName = elementName('');
  /** Attributes by their text as written, read once (MOST_ATTRIBUTE_SETS at most). */
  private readonly attributeSets = new Map<string, Readonly<Record<string, string>>>();
  /** The open element's text before the current segment (split by a comment or CDATA). */
  private text = '';
  private started = false;
  /** The last chunk ended with a CR: the next must begin with its LF. */
  private crEnded = false;
  private rootClosed = false;
  /** The line at lineFrom, counted from the file's start; lineFrom never passes a "\n" uncounted. */
  private lineBase = 1;
  private lineFrom = 0;
  private tagEnd = 0;
  /** Where the next "&" and "]]>" are at or after position (Infinity: none in the buffer), searched once each. */
  private nextAmpersand = -1;
  private nextCdataEnd = -1;

  constructor(private readonly tags: ScannedTags) {}

  /** The line of the ">" of the tag last handed on. */
  line(): number {
    const { buffer, tagEnd } = this;
    let { lineBase, lineFrom } = this;
    for (let newline = buffer.indexOf('\n', lineFrom); newline !== -1 && newline < tagEnd;) {
      lineBase += 1;
      lineFrom = newline + 1;
      newline = buffer.indexOf('\n', lineFrom);
    }
    this.lineBase = lineBase;
    this.lineFrom = lineFrom;
    return lineBase;
  }

  /** Reads a chunk of the file's text (the last with `final`), handing on every tag it completes. */
  write(chunk: string, final = false): ScanOutcome {
    if (REFUSED_CHARACTERS.test(chunk) || !this.lineEndsRead(chunk, final)) return 'outside';
    const tail = this.buffer.slice(this.position);
    if (tail.length > 0 && chunk.length > BRIDGE) {
      // What the last chunk left unread is read with the chunk's head, then the chunk itself as it came: a string
      // joined to another is a rope whose every character read costs twice (the scanner alone over 100,000 lines
      // took 0.34 s of CPU so, 0.25 s with the bridge).
      this.load(tail + chunk.slice(0, BRIDGE), 0);
      if (this.scan(false) === 'outside') return 'outside';
      if (this.position >= tail.length) this.load(chunk, this.position - tail.length);
      else this.load(this.buffer.slice(this.position) + chunk.slice(BRIDGE), 0);
    } else this.load(tail + chunk, 0);
    return this.scan(final);
  }

  /** False when a CR stands alone (saxes reads it as a line end of its own; this scanner counts LFs only). */
  private lineEndsRead(chunk: string, final: boolean): boolean {
    if (this.crEnded && !chunk.startsWith('\n') && (chunk !== '' || final)) return false;
    if (chunk !== '') this.crEnded = chunk.endsWith('\r');
    const lone = chunk.includes('\r') ? chunk.search(LONE_CR) : -1;
    return lone === -1 || (lone === chunk.length - 1 && !final);
  }

  /** Reads the buffer from position on, as far as its constructs are whole (all of it when `final`). */
  private scan(final: boolean): ScanOutcome {
    const { buffer } = this;
    if (!this.started) {
      if (!final && !buffer.includes('>')) return 'read';
      if (!this.begin()) return 'outside';
    }
    for (;;) {
      const start = buffer.indexOf('<', this.position);
      if (start === -1) break;
      const step = this.construct(start, final);
      if (step === 'outside') return 'outside';
      if (step === 'more') break;
    }
    if (!final) return buffer.length - this.position > LONGEST_CARRY ? 'outside' : 'read';
    const rest = buffer.slice(this.position);
    return this.rootClosed && this.names.length === 0 && ONLY_SPACES.test(rest) ? 'read' : 'outside';
  }

  /** The buffer becomes `text`, read from `position` on (the same place in the file); the lines before are counted first. */
  private load(text: string, position: number): void {
    this.tagEnd = this.position;
    this.line();
    this.buffer = text;
    this.lineFrom = position;
    this.position = position;
    this.nextAmpersand = -1;
    this.nextCdataEnd = -1;
  }

  /** The byte-order mark skipped and the declaration read, when the file has one; false when it is not 1.0's. */
  private begin(): boolean {
    this.started = true;
    if (this.buffer.charCodeAt(0) === 0xfeff) this.position = 1;
    if (!this.buffer.startsWith('<?xml', this.position)) return true;
    DECLARATION.lastIndex = this.position;
    if (!DECLARATION.test(this.buffer)) return false;
    this.position = DECLARATION.lastIndex;
    return true;
  }

  /**
   * The construct at `start` ("<"), with the text before it. One not read near the buffer's end may be cut by the
   * chunk: it is tried again with the next; a processing instruction never reads.
   */
  private construct(start: number, final: boolean): 'read' | 'more' | 'outside' {
    const { buffer } = this;
    const next = buffer.charCodeAt(start + 1);
    let step: Step = 'unread';
    if (next === 0x2f) step = this.closeTag(start);
    else if (next === 0x21) step = this.markup(start);
    else if (next !== 0x3f) step = this.openTag(start);
    if (step === 'read') return step;
    return final || buffer.length - start > LONGEST_CONSTRUCT ? 'outside' : 'more';
  }

  private openTag(start: number): Step {
    const { buffer, names } = this;
    if (this.rootClosed) return 'unread';
    const { length } = buffer;
    // Past the end charCodeAt gives NaN, and a table read at NaN is a property look-up that slows every read after.
    if (start + 1 >= length || NAME_CHARACTERS[buffer.charCodeAt(start + 1)] !== 1) return 'unread';
    let end = start + 2;
    while (end < length && NAME_CHARACTERS[buffer.charCodeAt(end)]! > 0) end += 1;
    const nameEnd = end;
    let attributes = NO_ATTRIBUTES;
    if (buffer.charCodeAt(end) !== 0x3e) {
      const read = this.attributes(end);
      if (read === undefined) return 'unread';
      attributes = read.attributes;
      end = read.end;
    }
    const selfClosing = buffer.charCodeAt(end) === 0x2f;
    if (selfClosing) end += 1;
    if (buffer.charCodeAt(end) !== 0x3e) return 'unread';
    if (names.length === 0 ? !this.outsideText(start) : this.segment(start, false) === undefined) return 'unread';
    // Named once the tag is whole: a name cut by the chunk's end is not kept among the names.
    const name = childNamed(names.at(-1) ?? this.document, buffer, start + 1, nameEnd);
    this.text = '';
    names.push(name);
    this.tagEnd = end;
    this.position = end + 1;
    this.tags.open(name.local, attributes);
    if (selfClosing) this.closed('');
    return 'read';
  }

  /**
   * The attributes from `from` and where they end, or undefined when outside the subset. The same attributes
   * written the same way (<Amt Ccy="EUR"> 100,000 times) are read once and handed on as one frozen object.
   */
  private attributes(from: number): { attributes: Readonly<Record<string, string>>; end: number } | undefined {
    const { buffer, attributeSets } = this;
    const close = buffer.indexOf('>', from);
    const written = close === -1 ? undefined : buffer.slice(from, close);
    const known = written === undefined ? undefined : attributeSets.get(written);
    if (known !== undefined) return { attributes: known, end: close };
    const attributes = Object.create(null) as Record<string, string>;
    const end = readAttributes(buffer, from, attributes);
    if (end === -1) return undefined;
    if (end === close && attributeSets.size < MOST_ATTRIBUTE_SETS)
      attributeSets.set(written!, Object.freeze(attributes));
    return { attributes, end };
  }

  private closeTag(start: number): Step {
    const { buffer, names } = this;
    const name = names.at(-1)?.name;
    if (name === undefined || !buffer.startsWith(name, start + 2)) return 'unread';
    let end = start + 2 + name.length;
    if (buffer.charCodeAt(end) !== 0x3e) {
      SPACES.lastIndex = end;
      SPACES.test(buffer);
      end = SPACES.lastIndex;
      if (buffer.charCodeAt(end) !== 0x3e) return 'unread';
    }
    const segment = this.segment(start, true);
    if (segment === undefined) return 'unread';
    this.position = end + 1;
    this.closed(this.text === '' ? segment : this.text + segment);
    return 'read';
  }

  private closed(text: string): void {
    this.text = '';
    this.names.pop();
    if (this.names.length === 0) this.rootClosed = true;
    this.tags.close(text);
  }

  /** A comment (ignored) or CDATA (its text handed to no one, as saxes does); anything else after "<!" is saxes'. */
  private markup(start: number): Step {
    const { buffer } = this;
    const comment = buffer.startsWith('<!--', start);
    if (!comment && (!buffer.startsWith('<![CDATA[', start) || this.names.length === 0)) return 'unread';
    const end = buffer.indexOf(comment ? '-->' : ']]>', start + (comment ? 4 : 9));
    if (end === -1 || (comment && buffer.indexOf('--', start + 4) !== end)) return 'unread';
    if (this.names.length === 0) {
      if (!this.outsideText(start)) return 'unread';
    } else {
      const segment = this.segment(start, true);
      if (segment === undefined) return 'unread';
      this.text += segment;
    }
    this.position = end + 3;
    return 'read';
  }

  /** False when the text before `start`, outside the root, is more than space. */
  private outsideText(start: number): boolean {
    return start === this.position || ONLY_SPACES.test(this.buffer.slice(this.position, start));
  }

  /**
   * The text from position to `start` as saxes gives it (entities read, CRLF as LF; "" when not `wanted` and
   * nothing needs checking), or undefined when saxes would refuse it.
   */
  private segment(start: number, wanted: boolean): string | undefined {
    const { buffer, position } = this;
    if (this.nextCdataEnd < position) this.nextCdataEnd = found(buffer.indexOf(']]>', position));
    if (this.nextCdataEnd < start) return undefined;
    if (this.nextAmpersand < position) this.nextAmpersand = found(buffer.indexOf('&', position));
    const entities = this.nextAmpersand < start;
    if (!wanted && !entities) return '';
    const written = buffer.slice(position, start);
    const lines = written.includes('\r') ? written.replace(/\r\n/g, '\n') : written;
    return entities ? withEntities(lines) : lines;
  }
}

const found = (index: number) => (index === -1 ? Infinity : index);

/**
 * An element's name as written and its local name, made once per parent's name: the names below are compared
 * with the text, not sliced and hashed again at every tag (1.5 million tags at 100,000 lines).
 */
interface ElementName {
  name: string;
  local: string;
  children: ElementName[];
  /** The child after the last found: siblings come in the same order entry after entry. */
  next: number;
}

function elementName(name: string): ElementName {
  return { name, local: localName(name), children: [], next: 0 };
}

/** "camt:Document" → "Document": a statement may carry a namespace prefix. */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/** The child of `parent` named by buffer[from, end), made the first time. */
function childNamed(parent: ElementName, buffer: string, from: number, end: number): ElementName {
  const { children } = parent;
  const length = end - from;
  let index = parent.next < children.length ? parent.next : 0;
  for (let tried = 0; tried < children.length; tried += 1) {
    const child = children[index]!;
    if (child.name.length === length && buffer.startsWith(child.name, from)) {
      parent.next = index + 1;
      return child;
    }
    index = index + 1 === children.length ? 0 : index + 1;
  }
  const child = elementName(buffer.slice(from, end));
  if (children.length < MOST_CHILDREN) children.push(child);
  return child;
}

function nameCharacters(): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (const [from, to] of [
    ['A', 'Z'],
    ['a', 'z'],
    ['_', '_'],
    [':', ':'],
  ] as const)
    table.fill(1, from.charCodeAt(0), to.charCodeAt(0) + 1);
  for (const [from, to] of [
    ['0', '9'],
    ['.', '.'],
    ['-', '-'],
  ] as const)
    table.fill(2, from.charCodeAt(0), to.charCodeAt(0) + 1);
  return table;
}

/**
 * Reads the attributes from `from` into `attributes`: where they end (at "/" or ">" when the tag is well-formed),
 * or -1 when one is outside the subset (space around "=", an entity, a tab or line break in its value) or repeated.
 */
function readAttributes(buffer: string, from: number, attributes: Record<string, string>): number {
  const { length } = buffer;
  for (let end = from; ;) {
    let name = end;
    while (name < length && SPACE_CHARACTERS.has(buffer.charCodeAt(name))) name += 1;
    if (name === end || name === length || NAME_CHARACTERS[buffer.charCodeAt(name)] !== 1) return name;
    let equals = name + 1;
    while (equals < length && NAME_CHARACTERS[buffer.charCodeAt(equals)]! > 0) equals += 1;
    const quote = buffer.charAt(equals + 1);
    if (buffer.charCodeAt(equals) !== 0x3d || (quote !== '"' && quote !== "'")) return -1;
    const close = buffer.indexOf(quote, equals + 2);
    if (close === -1) return -1;
    const [key, value] = [buffer.slice(name, equals), buffer.slice(equals + 2, close)];
    if (REFUSED_IN_VALUES.test(value) || key in attributes) return -1;
    attributes[key] = value;
    end = close + 1;
  }
}

/** "AT&amp;T &#233;" → "AT&T é"; undefined for an entity saxes would refuse or this does not know. */
function withEntities(text: string): string | undefined {
  let read = '';
  let from = 0;
  for (let ampersand = text.indexOf('&'); ampersand !== -1; ampersand = text.indexOf('&', from)) {
    ENTITY.lastIndex = ampersand;
    const match = ENTITY.exec(text);
    if (match === null) return undefined;
    const [, name, decimal, hex] = match;
    const code = name === undefined ? Number.parseInt(decimal ?? hex!, decimal === undefined ? 16 : 10) : 0;
    if (name === undefined && !isXmlCharacter(code)) return undefined;
    read += text.slice(from, ampersand) + (name === undefined ? String.fromCodePoint(code) : PREDEFINED[name]);
    from = ENTITY.lastIndex;
  }
  return read + text.slice(from);
}

function isXmlCharacter(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}
