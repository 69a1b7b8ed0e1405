import {
  CHAIN_GENESIS,
  chainLink,
  chainLinkForm2,
  closeLink,
  entryContentText,
  type ChainChunk,
  type ChainCloseRecord,
} from '../../ledger/index.js';
import { RenderedCentsCheck, type CentsChange } from './rendered-cents-check.js';
import type { JournalLine } from '../../rules/index.js';
import type { SealBooks } from './books/seal-books.js';

/** An entry's place in the chain: its id, date and source, its position (1 for the first appended) and its chain hash. */
export interface ChainPosition {
  entryId: string;
  date: string;
  sourceId: string;
  position: number;
  hash: string;
}

/** The first record whose kept chain hash is not the one its bytes and its predecessor's give: an entry, or a close (`period` set). */
interface ChainBreak extends ChainPosition {
  /** The hash the record keeps (null: it has none). */
  kept: string | null;
  /** The month, when the record is a close (migration 0026): its entryId is then "close <period>", its position that of the entry before it. */
  period?: string;
}

export interface ChainVerification {
  /** How many entries the chain holds. */
  entries: number;
  /** How many closes the chain records. */
  closes: number;
  /** The chain hash of the last record appended, recomputed (CHAIN_GENESIS on an empty journal). */
  head: string;
  broken: ChainBreak | undefined;
  /** For each date asked for: the last entry appended dated on or before it, as recomputed (undefined when there is none). */
  headsThrough: Map<string, ChainPosition | undefined>;
  /** For each date asked for: each account's and currency's net (debits − credits, exact micro-units) of the entries dated on or before it. */
  netsThrough: Map<string, Map<string, bigint>>;
  /** The entries whose kept cents are not those their amounts render to (the first MAX_CENTS_CHANGES), and how many in all. */
  centsChanges: CentsChange[];
  centsChanged: number;
}

/** Entries with changed cents named one by one; more are counted. */
const MAX_CENTS_CHANGES = 20;
/** Names (dates, sources, accounts, currencies) whose JSON text verify remembers. */
const MAX_QUOTED_NAMES = 10_000;

/**
 * Recomputes the journal's hash chain from every record's bytes (ledger/entry-chain.ts) and compares each link with
 * the one kept: one changed byte in an entry's date, source, description, events or lines (and, from chain form 2,
 * its cents, rounding lines or content hash) breaks that entry's link, and it is named (the chain goes on from the
 * recomputed hashes, so every later link breaks too); a close's record is linked where it sits, after the entry
 * appended before it. The cents of every entry are recomputed from its amounts on the way (RenderedCentsCheck).
 * Example: 3 entries, the 2nd's amount changed from 1.000000 to 1.000001 → broken at position 2, its id named.
 */
export async function verifyChain(
  books: Pick<SealBooks, 'chainChunks' | 'chainRecords'>,
  throughDates: readonly string[] = [],
): Promise<ChainVerification> {
  const { form2FromSeq, closes } = await books.chainRecords();
  const walk = new ChainWalk(form2FromSeq, closes, throughDates);
  for await (const { entries, lines, rendered } of books.chainChunks()) {
    let line = 0;
    let renderedLine = 0;
    for (const entry of entries) {
      const seq = entry[0];
      const firstLine = line;
      const firstRendered = renderedLine;
      while (line < lines.length && lines[line]![0] === seq) line += 1;
      while (renderedLine < rendered.length && rendered[renderedLine]![0] === seq) renderedLine += 1;
      // An entry with no line at all is not chained, as when its lines were read joined to it (the next one breaks).
      if (line > firstLine || renderedLine > firstRendered)
        walk.linkEntry(entry, splitLines(lines, firstLine, line, rendered, firstRendered, renderedLine));
    }
  }
  walk.linkClosesBefore(undefined);
  return walk.result;
}

/** The chain recomputed record by record, in the order it runs. */
class ChainWalk {
  readonly result: ChainVerification;
  private readonly cents = new RenderedCentsCheck();
  private nextClose = 0;
  private readonly quotedNames = new Map<string, string>();
  /** JSON.stringify of a name many entries share, remembered (up to MAX_QUOTED_NAMES): most entries' names are a few. */
  private readonly quoteName = (name: string): string => {
    let quoted = this.quotedNames.get(name);
    if (quoted === undefined) {
      quoted = JSON.stringify(name);
      if (this.quotedNames.size < MAX_QUOTED_NAMES) this.quotedNames.set(name, quoted);
    }
    return quoted;
  };

  constructor(
    private readonly form2FromSeq: bigint,
    private readonly closes: readonly ChainCloseRecord[],
    throughDates: readonly string[],
  ) {
    this.result = {
      entries: 0,
      closes: 0,
      head: CHAIN_GENESIS,
      broken: undefined,
      headsThrough: new Map(throughDates.map((date) => [date, undefined])),
      netsThrough: new Map(throughDates.map((date) => [date, new Map<string, bigint>()])),
      centsChanges: [],
      centsChanged: 0,
    };
  }

  /** Links one entry (its lines split by splitLines) onto the chain, after the closes recorded before it, and checks its cents. */
  linkEntry(
    entry: ChainChunk['entries'][number],
    { exact, lineCents, roundingLines }: ReturnType<typeof splitLines>,
  ): void {
    const [seq, id, date, sourceId, description, eventIdsJson, kept, contentHash, reclassification] = entry;
    this.linkClosesBefore(seq);
    const result = this.result;
    if (seq >= this.form2FromSeq) {
      const contentText = entryContentText({ date, sourceId, description, lines: exact }, eventIdsJson, this.quoteName);
      result.head = chainLinkForm2(result.head, { id, contentText, contentHash, lineCents, roundingLines });
    } else {
      result.head = chainLink(result.head, { id, date, sourceId, description, eventIdsJson, lines: exact });
    }
    result.entries += 1;
    // The position is built only when it is kept: for a break, or a head asked for (close and reconcile ask for some, verify for none).
    const position = (): ChainPosition => ({
      entryId: id,
      date,
      sourceId,
      position: result.entries,
      hash: result.head,
    });
    if (result.broken === undefined && kept !== result.head) result.broken = { ...position(), kept };
    if (result.headsThrough.size > 0) {
      const here = position();
      for (const through of result.headsThrough.keys()) if (date <= through) result.headsThrough.set(through, here);
      for (const [through, nets] of result.netsThrough)
        if (date <= through) for (const line of exact) addNet(nets, line);
    }
    const changed = this.cents.check(
      { entryId: id, date, sourceId, reclassification: Number(reclassification) === 1 },
      exact,
      lineCents,
      roundingLines,
    );
    if (changed === undefined) return;
    result.centsChanged += 1;
    if (result.centsChanges.length < MAX_CENTS_CHANGES) result.centsChanges.push(changed);
  }

  /** Links each close recorded after an entry appended before seq `before` (undefined: every close left). */
  linkClosesBefore(before: bigint | undefined): void {
    const result = this.result;
    for (; this.nextClose < this.closes.length; this.nextClose += 1) {
      const close = this.closes[this.nextClose]!;
      if (before !== undefined && close.afterSeq >= before) return;
      result.head = closeLink(result.head, close);
      result.closes += 1;
      if (result.broken === undefined && close.chainHash !== result.head) {
        result.broken = {
          entryId: `close ${close.period}`,
          date: close.periodEnd,
          sourceId: 'ledgerline close',
          position: result.entries,
          hash: result.head,
          kept: close.chainHash,
          period: close.period,
        };
      }
    }
  }
}

/** Adds a line to its account's and currency's net, keyed "account currency". */
function addNet(nets: Map<string, bigint>, line: JournalLine): void {
  const key = `${line.account} ${line.currency}`;
  nets.set(key, (nets.get(key) ?? 0n) + line.amountMicros);
}

/**
 * An entry's lines as the chain and the cents check read them: its exact lines (lines[from, to)) and their
 * cents, and its rounding lines (rendered[renderedFrom, renderedTo)).
 */
function splitLines(
  lines: ChainChunk['lines'],
  from: number,
  to: number,
  renderedRows: ChainChunk['rendered'],
  renderedFrom: number,
  renderedTo: number,
) {
  const exact: JournalLine[] = [];
  const lineCents: (bigint | null)[] = [];
  const roundingLines: { account: string; currency: string; cents: bigint; description: string | null }[] = [];
  for (let index = from; index < to; index += 1) {
    const [, account, currency, amountMicros, description, cents] = lines[index]!;
    exact.push(
      description === null ? { account, currency, amountMicros } : { account, currency, amountMicros, description },
    );
    lineCents.push(cents);
  }
  for (let index = renderedFrom; index < renderedTo; index += 1) {
    const [, account, currency, cents, description] = renderedRows[index]!;
    roundingLines.push({ account, currency, cents, description });
  }
  return { exact, lineCents, roundingLines };
}
