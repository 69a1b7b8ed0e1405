import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Acknowledgements } from '../../src/pipeline/adjustments/books/acknowledgement-books.js';
import type { AdjustmentBooks } from '../../src/pipeline/adjustments/books/adjustment-books.js';
import type { SealBooks } from '../../src/pipeline/operations/books/seal-books.js';
import type { BankDocumentOutbox } from '../../src/pipeline/post/books/bank-document-outbox.js';
import type { EvidenceAttachmentOutbox } from '../../src/pipeline/post/books/evidence-attachment-outbox.js';
import type { PostOutbox } from '../../src/pipeline/post/books/post-outbox.js';
import type { TransitBooks } from '../../src/pipeline/transit/books/transit-books.js';
import type { BackfillBooks } from '../../src/pipeline/backfill/books/backfill-books.js';
import type { LandingBooks } from '../../src/pipeline/landing/books/landing-books.js';
import type { SyncBooks } from '../../src/pipeline/sync/books/sync-books.js';
import type { RunRecords } from '../../src/pipeline/runs/books/run-records.js';
import type { Books } from '../../src/app/books.js';
import {
  panelBooks,
  panelReads,
  type PanelBooksReads,
  type PanelBooksTx,
} from '../../src/kinds/panel/books/panel-books.js';

/** The `tx` a port's unit hands its work (`unit`, or `unitOfWork` on the transit's port). */
type TxOf<Port> = Port extends { unit(work: (tx: infer Tx) => Promise<unknown>): Promise<unknown> }
  ? Tx
  : Port extends { unitOfWork(work: (tx: infer Tx) => Promise<unknown>): Promise<unknown> }
    ? Tx
    : never;

/** Each later-split port's write verbs: none may be on the port, every one must be on its unit's `tx`. */
type SyncWrites =
  | 'recordNewEvents'
  | 'recordNewFindings'
  | 'recordFallExplanations'
  | 'logClose'
  | 'quarantine'
  | 'saveCloseState'
  | 'landRawReply'
  | 'markWebhooksProcessed';
type LandingWrites = 'landRawReply' | 'recordDelivery' | 'quarantineDelivery' | 'markWebhooksProcessed';
type BackfillWrites = 'recordReread' | 'saveCloseState';
/** The panel's own books' writes (src/kinds/panel/books/): on the books a unit's `tx` hands, never on the port's. */
type PanelWrites =
  | 'saveBalanceState'
  | 'saveCarriedState'
  | 'registerOrders'
  | 'registerFoundOrders'
  | 'saveOrderStates'
  | 'recordOrderCorrections';
type RunWrites = 'recordStart' | 'recordEnd' | 'takeRunLock' | 'refreshRunLock' | 'freeRunLock';

/**
 * Issue 53 item 4: a port with write verbs reads on itself and writes only on the `tx` its unit hands, so a write
 * cannot run as a unit of its own beside an open one by accident. Each port's write verbs are on its `tx` and none is
 * on the port: the planted call of a write on each port is a type error (`npm run typecheck` fails if one compiles).
 */
describe('the split ports write only on the tx of a unit', () => {
  it("has each write verb on the unit's tx and none on the port itself", () => {
    const adjustments = {} as AdjustmentBooks;
    // @ts-expect-error a write verb is not on the adjustments' port outside a unit
    expect(adjustments.record).toBeUndefined();
    expectTypeOf<TxOf<AdjustmentBooks>>().toHaveProperty('record');

    const outbox = {} as PostOutbox;
    // @ts-expect-error nor on the post's outbox
    expect(outbox.recordAttempt).toBeUndefined();
    expectTypeOf<PostOutbox>().not.toHaveProperty('recordOutcomes');
    expectTypeOf<TxOf<PostOutbox>>().not.toBeNever();
    expectTypeOf<TxOf<PostOutbox>>().toHaveProperty('recordAttempt');
    expectTypeOf<TxOf<PostOutbox>>().toHaveProperty('recordOutcomes');
    expectTypeOf<TxOf<PostOutbox>>().toHaveProperty('restore');

    const transit = {} as TransitBooks;
    // @ts-expect-error nor on the transit's port
    expect(transit.landStatement).toBeUndefined();
    expectTypeOf<TxOf<TransitBooks>>().not.toBeNever();
    expectTypeOf<TransitBooks>().not.toHaveProperty('recordStates');
    expectTypeOf<TransitBooks>().not.toHaveProperty('recordAlerts');
    expectTypeOf<TransitBooks>().not.toHaveProperty('bookBankLegs');
    expectTypeOf<TransitBooks>().not.toHaveProperty('recordLinkWord');
    expectTypeOf<TransitBooks>().not.toHaveProperty('acknowledge');
    expectTypeOf<TxOf<TransitBooks>>().toHaveProperty('keepStatementBalances');

    const acknowledgements = {} as Acknowledgements;
    // @ts-expect-error nor on the acknowledgements' port
    expect(acknowledgements.recordAcknowledgement).toBeUndefined();
    expectTypeOf<TxOf<Acknowledgements>>().toHaveProperty('recordAcknowledgement');

    const seal = {} as SealBooks;
    // @ts-expect-error nor on sealing's port
    expect(seal.recordClose).toBeUndefined();
    expectTypeOf<TxOf<SealBooks>>().toHaveProperty('recordClose');

    const bankDocuments = {} as BankDocumentOutbox;
    // @ts-expect-error nor on the bank-side documents' outbox
    expect(bankDocuments.recordIntent).toBeUndefined();
    expectTypeOf<BankDocumentOutbox>().not.toHaveProperty('recordDocument');
    expectTypeOf<TxOf<BankDocumentOutbox>>().toHaveProperty('recordDocument');

    const sync = {} as SyncBooks;
    // @ts-expect-error nor on the nightly sync's port
    expect(sync.recordNewEvents).toBeUndefined();
    expectTypeOf<Extract<keyof SyncBooks, SyncWrites>>().toBeNever();
    expectTypeOf<SyncWrites>().toExtend<keyof TxOf<SyncBooks>>();
    expectTypeOf<TxOf<SyncBooks>>().toHaveProperty('ledger');

    const landing = {} as LandingBooks;
    // @ts-expect-error nor on the landing's port
    expect(landing.landRawReply).toBeUndefined();
    expectTypeOf<Extract<keyof LandingBooks, LandingWrites>>().toBeNever();
    expectTypeOf<LandingWrites>().toExtend<keyof TxOf<LandingBooks>>();

    const backfill = {} as BackfillBooks;
    // @ts-expect-error nor on the backfill's port
    expect(backfill.saveCloseState).toBeUndefined();
    expectTypeOf<Extract<keyof BackfillBooks, BackfillWrites>>().toBeNever();
    expectTypeOf<BackfillWrites>().toExtend<keyof TxOf<BackfillBooks>>();
    expectTypeOf<TxOf<BackfillBooks>>().toHaveProperty('ledger');

    // A kind's own books: a port or the root opens their reads (`books.of(panelReads)`), only a unit's tx their
    // writes (`tx.of(panelBooks)`), which are written over the unit's `StoreTx`.
    expectTypeOf<Extract<keyof PanelBooksReads, PanelWrites>>().toBeNever();
    expectTypeOf<PanelWrites>().toExtend<keyof PanelBooksTx>();
    const writesOutsideAUnit = (books: SyncBooks | BackfillBooks | Books) =>
      // @ts-expect-error nor may a port or the root open the panel's writes
      books.of(panelBooks);
    expectTypeOf(writesOutsideAUnit).toBeFunction();
    const readsOnThePort = (books: SyncBooks | BackfillBooks | Books) => books.of(panelReads);
    expectTypeOf(readsOnThePort).returns.toEqualTypeOf<PanelBooksReads>();
    const writesInAUnit = (tx: TxOf<SyncBooks> | TxOf<BackfillBooks>) => tx.of(panelBooks);
    expectTypeOf(writesInAUnit).returns.toEqualTypeOf<PanelBooksTx>();

    const evidence = {} as EvidenceAttachmentOutbox;
    // @ts-expect-error nor on the evidence attachments' outbox
    expect(evidence.recordIntent).toBeUndefined();
    expectTypeOf<EvidenceAttachmentOutbox>().not.toHaveProperty('recordAttached');
    expectTypeOf<TxOf<EvidenceAttachmentOutbox>>().toHaveProperty('recordIntent');
    expectTypeOf<TxOf<EvidenceAttachmentOutbox>>().toHaveProperty('recordAttached');

    const runs = {} as RunRecords;
    // @ts-expect-error nor on the run records' port: the run lock is taken in a unit
    expect(runs.takeRunLock).toBeUndefined();
    expectTypeOf<Extract<keyof RunRecords, RunWrites>>().toBeNever();
    expectTypeOf<RunWrites>().toExtend<keyof TxOf<RunRecords>>();
    expectTypeOf<RunRecords>().toHaveProperty('latestRunOf');
  });
});
