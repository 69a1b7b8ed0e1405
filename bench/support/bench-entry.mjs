/**
 * A two-line panel charge (Dr smm_services_expense, Cr panel_prepaid) of a varying amount, for the benches that
 * append entries: the index gives its id and amount, `date` its day. Example: index 3 → 100,039 micros.
 */
export function benchChargeEntry(index, date) {
  const micros = BigInt(100_000 + (index % 997) * 13);
  return {
    id: `je:bench:${String(index).padStart(8, '0')}`,
    date,
    sourceId: 'bench',
    description: `bench entry ${index}`,
    eventIds: [],
    lines: [
      { account: 'smm_services_expense', currency: 'USD', amountMicros: micros },
      { account: 'panel_prepaid', currency: 'USD', amountMicros: -micros },
    ],
  };
}
