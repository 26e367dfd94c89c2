/**
 * Weekly price × nights / 7, rounded half-up to the penny once per invoice
 * line (never per night). Integer arithmetic only: no float ever touches money.
 */
export function proRataPence(weeklyPence: number, nights: number): number {
  if (!Number.isSafeInteger(weeklyPence) || !Number.isSafeInteger(nights) || weeklyPence < 0 || nights < 0) {
    throw new Error('proRataPence takes non-negative integer pence and nights');
  }
  return divideHalfUp(weeklyPence * nights, 7);
}

/** n / d rounded half-up, for non-negative integers. */
export function divideHalfUp(n: number, d: number): number {
  const quotient = Math.floor(n / d);
  return (n % d) * 2 >= d ? quotient + 1 : quotient;
}

/** VAT codes an invoice line can carry; council welfare services are outside the scope of VAT (VATGPB8210). */
export const VAT_RATES_PERCENT = { OS: 0, EX: 0, ZR: 0, SR: 20 } as const;
export type VatCode = keyof typeof VAT_RATES_PERCENT;

export function vatPence(netPence: number, code: VatCode): number {
  const sign = netPence < 0 ? -1 : 1;
  return sign * divideHalfUp(Math.abs(netPence) * VAT_RATES_PERCENT[code], 100);
}
