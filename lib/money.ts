const pounds = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });

/** Pence as £ with two decimals, for text shown to people (the edge); stored amounts stay integer pence. */
export function formatPence(pence: number): string {
  return pounds.format(pence / 100);
}
