import * as z from '#lib/validation';
import data from '#data/invoicing.json' with { type: 'json' };
import { VatCodeSchema } from './billable';

/** A document-number prefix: upper-case letters and digits, as finance systems key on it. */
export const InvoicePrefix = /* @__PURE__ */ z.schema(() => z.string().check(z.regex(/^[A-Z][A-Z0-9]{0,7}$/, 'one to eight upper-case letters or digits, starting with a letter')));

/** The VAT code of each kind of extra; bed nights are always outside the scope (OS). */
const ExtraVatCodes = z.object({ 'education-place': VatCodeSchema, 'additional-staffing': VatCodeSchema, transport: VatCodeSchema });

export const InvoicingSettings = /* @__PURE__ */ z.schema(() => z.object({
  prefix: InvoicePrefix,
  /** Days from the issue date to the due date (30: the public-contract rule for undisputed invoices). */
  paymentTermsDays: z.int().check(z.gte(0), z.lte(120)),
  extraVatCodes: ExtraVatCodes,
  /** Our council, as printed at the head of every document. */
  issuer: z.object({
    name: z.string().check(z.minLength(1)),
    department: z.string(),
    address: z.array(z.string()),
    email: z.string(),
    phone: z.string(),
    vatRegistration: z.string(),
    paymentInstructions: z.string(),
    /** Where councils pay and send remittance advice: printed on every document. */
    remittance: z.object({
      bankName: z.string().check(z.minLength(1)),
      accountName: z.string().check(z.minLength(1)),
      sortCode: z.string().check(z.regex(/^\d{2}-\d{2}-\d{2}$/, 'a sort code nn-nn-nn')),
      accountNumber: z.string().check(z.regex(/^\d{8}$/, 'eight digits')),
      remittanceEmail: z.email(),
    }),
    /** The SES identity documents are e-mailed from. */
    invoiceSenderEmail: z.email(),
  }),
}));
export type InvoicingSettings = z.infer<typeof InvoicingSettings>;
export type ExtraVatCodes = InvoicingSettings['extraVatCodes'];
export type Issuer = InvoicingSettings['issuer'];

/** The settings as shipped in lib/reference-data/invoicing.json (the stack's defaults). */
export const INVOICING_SETTINGS: InvoicingSettings = /* @__PURE__ */ z.schema(() => InvoicingSettings.parse(data));

/** Their VAT codes of extras alone: all that drafting documents needs (the invoice builder bundles no more of the settings). */
export const EXTRA_VAT_CODES: ExtraVatCodes = ExtraVatCodes.parse(data.extraVatCodes);
