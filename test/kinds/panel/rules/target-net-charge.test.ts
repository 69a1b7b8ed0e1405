import { describe, expect, it } from 'vitest';
import { targetNetCharge, type TargetNetChargeInput } from '../../../../src/kinds/panel/rules/normalize-status.js';

const order = { quantity: 1000n, firstChargeMicros: 900_000n } as const;
const at = (
  fields: Pick<TargetNetChargeInput, 'status' | 'chargeMicros' | 'remains'> & Partial<TargetNetChargeInput>,
) => targetNetCharge({ ...order, ...fields });

describe('target net charge', () => {
  it('an open order is worth its reported charge', () => {
    expect(at({ status: 'open', chargeMicros: 900_000n, remains: 1000n })).toEqual({
      targetMicros: 900_000n,
      basis: 'reported',
    });
  });

  it('Partial with 157 left is 0.75870 whether the panel reports 0.90 or has lowered it to 0.7587', () => {
    expect(at({ status: 'partial', chargeMicros: 900_000n, remains: 157n })).toEqual({
      targetMicros: 758_700n,
      basis: 'pro-rata',
    });
    expect(at({ status: 'partial', chargeMicros: 758_700n, remains: 157n })).toEqual({
      targetMicros: 758_700n,
      basis: 'reported',
    });
  });

  it('Canceled and Failed are worth 0 whatever the charge says', () => {
    expect(at({ status: 'canceled', chargeMicros: 900_000n, remains: 1000n })).toEqual({
      targetMicros: 0n,
      basis: 'voided',
    });
    expect(at({ status: 'failed', chargeMicros: 0n, remains: undefined })).toEqual({
      targetMicros: 0n,
      basis: 'voided',
    });
  });

  it('a Completed package with remains and its first charge is pro-rated (q = posts × max = 60)', () => {
    expect(
      targetNetCharge({
        status: 'completed',
        chargeMicros: 12_000_000n,
        remains: 15n,
        quantity: 60n,
        firstChargeMicros: 12_000_000n,
      }),
    ).toEqual({
      targetMicros: 9_000_000n,
      basis: 'pro-rata',
    });
  });

  it('an unknown status is treated as open at its reported charge', () => {
    expect(at({ status: 'unknown', chargeMicros: 900_000n, remains: 157n })).toEqual({
      targetMicros: 900_000n,
      basis: 'reported',
    });
  });

  it('without the quantity, or without remains on a Partial, no refund is computed and the reason is given', () => {
    expect(at({ status: 'partial', chargeMicros: 900_000n, remains: 157n, quantity: undefined })).toEqual({
      targetMicros: 900_000n,
      basis: 'reported',
      refundNotComputable: 'the order quantity is unknown',
    });
    expect(at({ status: 'partial', chargeMicros: 900_000n, remains: undefined })).toEqual({
      targetMicros: 900_000n,
      basis: 'reported',
      refundNotComputable: 'the panel reports no usable remains',
    });
  });

  it('Completed with nothing left, or with remains unknown, is worth its charge', () => {
    expect(at({ status: 'completed', chargeMicros: 900_000n, remains: 0n })).toEqual({
      targetMicros: 900_000n,
      basis: 'reported',
    });
    expect(at({ status: 'completed', chargeMicros: 900_000n, remains: undefined })).toEqual({
      targetMicros: 900_000n,
      basis: 'reported',
    });
  });
});
