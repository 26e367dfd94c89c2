import { divideHalfUp } from '#lib/money';

/** VAT codes an invoice line can carry; council welfare services are outside the scope of VAT (VATGPB8210). */
export const VAT_RATES_PERCENT = { OS: 0, EX: 0, ZR: 0, SR: 20 } as const;
export type VatCode = keyof typeof VAT_RATES_PERCENT;

export function vatPence(netPence: number, code: VatCode): number {
  const sign = netPence < 0 ? -1 : 1;
  return sign * divideHalfUp(Math.abs(netPence) * VAT_RATES_PERCENT[code], 100);
}
