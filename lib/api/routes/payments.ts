import * as z from '#lib/validation';
import { LaNumber } from '#lib/codes/la-number';
import { found, InvalidField } from '#lib/errors';
import { customerOf, INVOICING_SETTINGS } from '#lib/invoicing';
import { AGE_BANDS, AllocationSource, Remittance, agedDebtCsv, agedDebtHtml, statementCsv, statementHtml } from '#lib/payments';
import { IsoDate } from '#lib/time/iso-date';
import { MANAGE_RECEIVABLES, READ_INVOICES } from '#lib/api/access';
import { apiRoute } from '#lib/api/services';

const Pence = z.int().check(z.gte(1), z.lte(10_000_000_000));
const DocumentNumber = z.string().check(z.regex(/^[A-Z][A-Z0-9]{0,7}-\d{4}-\d{6}$/, 'a document number, e.g. NT-2627-000001'));
const CouncilPath = z.object({ la: LaNumber });

const AllocationView = z.object({ allocationId: z.string(), placingLa: z.string(), source: AllocationSource, invoice: z.string(), amountPence: z.int(), date: IsoDate, by: z.string(), at: z.iso.datetime() });

const OpenItemView = z.object({
  kind: z.enum(['invoice', 'supplementary-invoice', 'credit-note', 'unallocated-cash']),
  ref: z.string(),
  date: IsoDate,
  dueDate: IsoDate,
  originalPence: z.int(),
  outstandingPence: z.int(),
  daysPastDue: z.int(),
  reference: z.optional(z.string()),
});

const StatementView = z.object({
  placingLa: z.string(),
  council: z.string(),
  from: IsoDate,
  to: IsoDate,
  openingBalancePence: z.int(),
  lines: z.array(z.object({ date: IsoDate, kind: z.enum(['invoice', 'supplementary-invoice', 'credit-note', 'unallocated-cash', 'payment']), ref: z.string(), description: z.string(), amountPence: z.int(), balancePence: z.int() })),
  documentsPence: z.int(),
  paymentsPence: z.int(),
  closingBalancePence: z.int(),
});

const Bands = z.object(Object.fromEntries(AGE_BANDS.map((b) => [b, z.int()])) as Record<(typeof AGE_BANDS)[number], z.ZodMiniNumberFormat>);
const AgedDebtView = z.object({
  asAt: IsoDate,
  councils: z.array(z.object({ placingLa: z.string(), council: z.string(), bands: Bands, totalPence: z.int() })),
  totals: Bands,
  totalPence: z.int(),
});

const names = (las: readonly string[]) => Object.fromEntries(las.map((la) => [la, customerOf(la).name]));

export const paymentRoutes = [
  apiRoute({
    method: 'POST',
    path: '/api/remittances',
    roles: MANAGE_RECEIVABLES,
    status: 201,
    body: z.strictObject({
      placingLa: LaNumber,
      /** The day the money reached our account. */
      date: IsoDate,
      amountPence: Pence,
      reference: z._default(z.string().check(z.maxLength(200)), ''),
      payer: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    }),
    response: Remittance,
    async handle({ body, caller }, { payments }) {
      return (await payments.recordRemittance(body, caller.subject)).remittance;
    },
  }),
  apiRoute({
    method: 'GET',
    path: '/api/remittances/{remittanceId}',
    roles: READ_INVOICES,
    params: z.object({ remittanceId: z.string().check(z.minLength(1), z.maxLength(100)) }),
    response: Remittance,
    handle: async ({ params }, { payments }) => found(await payments.getRemittance(params.remittanceId), 'remittance'),
  }),
  apiRoute({
    method: 'POST',
    path: '/api/allocations',
    roles: MANAGE_RECEIVABLES,
    status: 201,
    body: z.strictObject({
      /** A remittance's unallocated cash, or a credit note's unused credit. */
      source: AllocationSource,
      lines: z.array(z.strictObject({ invoice: DocumentNumber, amountPence: Pence })).check(z.minLength(1), z.maxLength(100)),
    }),
    response: z.object({ allocations: z.array(AllocationView) }),
    async handle({ body, caller }, { payments }) {
      return { allocations: await payments.allocate(body, caller.subject) };
    },
  }),
  apiRoute({
    method: 'POST',
    path: '/api/bank-files',
    roles: MANAGE_RECEIVABLES,
    body: z.strictObject({
      /** The file's text: `date,amount,reference,payer[,la]` (see docs/documents-and-payments.md). */
      csv: z.string().check(z.minLength(1), z.maxLength(60_000)),
    }),
    response: z.object({
      rows: z.int(),
      recorded: z.int(),
      alreadyRecorded: z.int(),
      allocated: z.array(z.object({ remittanceId: z.string(), invoice: z.string(), amountPence: z.int() })),
      remittances: z.array(z.object({ row: z.int(), remittanceId: z.string(), placingLa: z.string(), amountPence: z.int(), outcome: z.enum(['recorded', 'already-recorded']) })),
    }),
    handle: ({ body, caller }, { payments }) => payments.importBankFile(body.csv, caller.subject),
  }),
  apiRoute({
    method: 'GET',
    path: '/api/councils/{la}/open-items',
    roles: READ_INVOICES,
    params: CouncilPath,
    query: z.object({ asAt: z.optional(IsoDate) }),
    response: z.object({ placingLa: z.string(), council: z.string(), asAt: IsoDate, items: z.array(OpenItemView), totalPence: z.int() }),
    async handle({ params, query }, { payments }) {
      return { placingLa: params.la, council: customerOf(params.la).name, ...(await payments.openItems(params.la, query.asAt)) };
    },
  }),
  apiRoute({
    method: 'GET',
    path: '/api/councils/{la}/statement',
    roles: READ_INVOICES,
    params: CouncilPath,
    query: z.object({ from: IsoDate, to: IsoDate }),
    response: StatementView,
    renderAs: { csv: statementCsv, html: (s) => statementHtml(s, INVOICING_SETTINGS.issuer) },
    async handle({ params, query }, { payments }) {
      if (query.to < query.from) throw new InvalidField('query.to', 'too_small', 'to must not be before from');
      return { ...(await payments.statement(params.la, query.from, query.to)), council: customerOf(params.la).name };
    },
  }),
  apiRoute({
    method: 'GET',
    path: '/api/aged-debt',
    roles: READ_INVOICES,
    query: z.object({ asAt: z.optional(IsoDate) }),
    response: AgedDebtView,
    renderAs: {
      csv: (a) => agedDebtCsv({ ...a, names: names(a.councils.map((c) => c.placingLa)) }),
      html: (a) => agedDebtHtml({ ...a, names: names(a.councils.map((c) => c.placingLa)) }),
    },
    async handle({ query }, { payments }) {
      const aged = await payments.agedDebt(query.asAt);
      return { ...aged, councils: aged.councils.map((c) => ({ ...c, council: customerOf(c.placingLa).name })) };
    },
  }),
];
