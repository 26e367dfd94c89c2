/**
 * The payments context's front door: remittances and allocations as received, a council's account
 * (open items, statement, aged debt) and its documents, and the service. What it needs is in ports.ts.
 */
export { AGE_BANDS, type AgeBand, type AgedDebt, type Statement } from './account';
export { Allocation, AllocationSource, Remittance } from './payments';
export { agedDebtCsv, agedDebtHtml, statementCsv, statementHtml } from './reports';
export { PaymentsService } from './payments-service';
