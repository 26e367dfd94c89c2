/**
 * The ledger context's front door: the chart of accounts, journals, a document's postings, the trial
 * balance and the GL export. What it needs is in ports.ts.
 */
export type { MonthBalance, Movement } from './balances';
export { AccountCode, ACCOUNTS, CHART } from './chart';
export { glExportCsv } from './gl-export';
export { contraOf, Journal, total } from './journal';
export { journalForDocument } from './postings';
export { trialBalance } from './trial-balance';
