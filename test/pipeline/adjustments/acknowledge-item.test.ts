import { describe, expect, it } from 'vitest';
import { acknowledgeItem } from '../../../src/pipeline/adjustments/index.js';
import type { AcknowledgementsTx } from '../../../src/pipeline/adjustments/books/acknowledgement-books.js';
import type { Acknowledgement, ReconcileReport } from '../../../src/reads/index.js';

type Item = ReconcileReport['items'][number];

/** An open item as the reconcile report lists it, with the history its words left. */
function openItem(id: string, history: Item['history']): Item {
  const last = history.at(-1);
  return {
    id,
    history,
    acknowledged: last?.action === 'ack' ? { by: last.by, at: last.at, note: last.note } : null,
  } as Item;
}

/** The Acknowledgements port in memory: every word recorded, in order. */
function recordedWords() {
  const words: { itemId: string; word: Acknowledgement }[] = [];
  return {
    words,
    port: {
      unit: <T>(work: (tx: AcknowledgementsTx) => Promise<T>) =>
        work({ recordAcknowledgement: async (itemId, word) => void words.push({ itemId, word }) }),
    },
  };
}

const word = { action: 'ack' as const, note: 'matched 4471', user: 'ana', at: '2026-04-02T09:00:00.000Z' };

describe('a person acknowledging an open reconcile item', () => {
  it('records an ack with its note, and a second one with the same note records nothing, naming who said it', async () => {
    const { words, port } = recordedWords();
    const fresh = openItem('transit:topup-2026-04-01', []);
    expect(await acknowledgeItem(port, [fresh], { ...word, itemId: fresh.id })).toEqual({
      itemId: fresh.id,
      saidAlready: null,
    });
    const acked = openItem(fresh.id, [{ action: 'ack', by: 'ana', at: word.at, note: 'matched 4471' }]);
    expect(await acknowledgeItem(port, [acked], { ...word, user: 'ben', itemId: acked.id })).toEqual({
      itemId: acked.id,
      saidAlready: { by: 'ana', at: word.at },
    });
    expect(words).toEqual([
      { itemId: fresh.id, word: { action: 'ack', note: 'matched 4471', user: 'ana', at: word.at } },
    ]);
  });

  it('records another note as a word of its own, and an unack without its note', async () => {
    const { words, port } = recordedWords();
    const acked = openItem('fall:p1', [{ action: 'ack', by: 'ana', at: word.at, note: 'matched 4471' }]);
    await acknowledgeItem(port, [acked], { ...word, note: 'checked', user: 'ben', itemId: acked.id });
    await acknowledgeItem(port, [acked], { ...word, action: 'unack', note: 'ignored', user: 'ben', itemId: acked.id });
    expect(words.map(({ word: said }) => [said.action, said.note])).toEqual([
      ['ack', 'checked'],
      ['unack', null],
    ]);
  });

  it('refuses an unack of an item nobody acknowledged, and an id no open item has, with the closest one', async () => {
    const { words, port } = recordedWords();
    const fresh = openItem('transit:topup-2026-04-01', []);
    await expect(acknowledgeItem(port, [fresh], { ...word, action: 'unack', itemId: fresh.id })).rejects.toThrow(
      'transit:topup-2026-04-01 is not acknowledged',
    );
    await expect(acknowledgeItem(port, [fresh], { ...word, itemId: 'transit:topup-2026-04-02' })).rejects.toThrow(
      'no open reconcile item has the id "transit:topup-2026-04-02"; did you mean "transit:topup-2026-04-01"?',
    );
    expect(words).toEqual([]);
  });
});
