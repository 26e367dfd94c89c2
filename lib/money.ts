/** Made on first use (about 2 ms): most functions never show an amount to a person. */
let pounds: Intl.NumberFormat | undefined;

/** Pence as £ with two decimals, for text shown to people (the edge); stored amounts stay integer pence. */
export function formatPence(pence: number): string {
  pounds ??= new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });
  return pounds.format(pence / 100);
}

/** n / d rounded half-up, for non-negative integers. */
export function divideHalfUp(n: number, d: number): number {
  const quotient = Math.floor(n / d);
  return (n % d) * 2 >= d ? quotient + 1 : quotient;
}

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
