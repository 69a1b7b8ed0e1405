import { describe, expect, it } from 'vitest';
import { certifiedBalanceChanges } from '../../../src/pipeline/witness/certified-balances.js';
import type { WitnessRecord } from '../../../src/pipeline/witness/index.js';
import { witnessFindings } from '../../../src/pipeline/witness/witnessed-heads.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const WHEN = { at: '2026-03-12T02:00:00.000Z', date: '2026-03-12', command: 'sync' };

/** The ledger's reads as a chain of `position` entries whose kept hashes are `hashes`. */
function ledger(hashes: Record<string, string>, position: number) {
  return {
    chainHashes: (ids: readonly string[]) =>
      Promise.resolve(new Map(ids.flatMap((id) => (hashes[id] === undefined ? [] : [[id, hashes[id]!] as const])))),
    chainPosition: () => Promise.resolve({ entryId: 'je:last', hash: B, date: '2026-03-12', position }),
  };
}

describe('the witness held against the ledger', () => {
  const head: WitnessRecord = { kind: 'head', ...WHEN, position: 97, entryId: 'je:smm-panel:2026-03-12', hash: A };

  it('a chain as long, holding another hash at the witnessed entry, is named rewritten', async () => {
    const [finding] = await witnessFindings([head], ledger({ 'je:smm-panel:2026-03-12': B }, 97), []);
    expect(finding?.kind).toBe('witnessed_head_rewritten');
    expect(finding?.message).toContain(`that entry now has sha256:${B} and the ledger ends at position 97`);
  });

  it('a chain ending before the witnessed head is named older, with the date and position', async () => {
    const [finding] = await witnessFindings([head], ledger({}, 95), []);
    expect(finding?.message).toMatch(
      /^the books are older than what was witnessed on 2026-03-12 at position 97 .*the ledger ends at position 95: restored from a copy, or entries removed/,
    );
  });

  it('heads witnessed before a restore bind no more; a certificate witnessed and rewritten is named', async () => {
    const restore: WitnessRecord = {
      kind: 'restore',
      ...WHEN,
      command: 'restore',
      position: 95,
      entryId: 'je:x',
      hash: B,
      from: '/backups/ledger.sqlite',
      reason: 'disk lost',
      by: 'ana',
      removed: { entries: [], deliveries: [], acknowledgements: [] },
    };
    const certificate: WitnessRecord = { kind: 'certificate', ...WHEN, period: '2026-02', sha256: A };
    const findings = await witnessFindings([head, restore, certificate], ledger({ 'je:x': B }, 95), [
      { period: '2026-02', certificateSha256: B },
    ]);
    expect(findings.map((finding) => finding.kind)).toEqual(['witnessed_certificate_differs']);
  });
});

describe("the certificate's trial balance against the chain", () => {
  const certificate = JSON.stringify({
    trialBalance: {
      rows: [
        { account: 'smm_services_expense', currency: 'USD', net: '12.50' },
        { account: 'panel_prepaid', currency: 'USD', net: '-12.50' },
      ],
    },
  });
  const period = { period: '2026-03', periodEnd: '2026-03-31' };

  it('names each account whose balance the entries through the period end no longer give', () => {
    const nets = new Map([
      ['smm_services_expense USD', 19_500_000n],
      ['panel_prepaid USD', -19_500_000n],
    ]);
    const changes = certifiedBalanceChanges(period, { file: 'certificates/2026-03.json', text: certificate }, nets);
    expect(changes).toEqual([
      "the certificate of 2026-03 (certificates/2026-03.json) gives panel_prepaid USD a balance of -12.50 at 2026-03-31, but the chain's entries through that day give -19.50: the closed month's amounts were changed after its close; restore the ledger from a backup taken before the change",
      "the certificate of 2026-03 (certificates/2026-03.json) gives smm_services_expense USD a balance of 12.50 at 2026-03-31, but the chain's entries through that day give 19.50: the closed month's amounts were changed after its close; restore the ledger from a backup taken before the change",
    ]);
  });

  it('is silent when they agree', () => {
    const nets = new Map([
      ['smm_services_expense USD', 12_500_000n],
      ['panel_prepaid USD', -12_500_000n],
    ]);
    expect(certifiedBalanceChanges(period, { file: 'c.json', text: certificate }, nets)).toEqual([]);
  });
});
