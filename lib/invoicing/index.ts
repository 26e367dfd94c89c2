/**
 * The invoicing context's front door: months and VAT codes, customers, documents (model, PDF,
 * exports), the settings and the run's state. What it needs is in ports.ts.
 */
export { MonthSchema, VatCodeSchema } from './billable';
export { customerOf, knownCustomers, type Customer } from './customers';
export { documentModel, longDate, longMonth, remittanceLines, type DocumentModel } from './document-model';
export type { IssuedDocument } from './documents';
export { escapeHtml, invoiceCsv, invoiceHtml } from './exports';
export type { InvoiceJobQueue } from './jobs';
export { assertMonthEnded, statusOf } from './run-state';
export { INVOICING_SETTINGS, type Issuer } from './settings';
