import * as z from '#lib/validation';
import { LaNumber } from '#lib/codes/la-number';
import { decodeCursor, encodeCursor, type CursorScope } from '#lib/http';
import { Conflict, found } from '#lib/errors';
import { assertMonthEnded, customerOf, documentModel, invoiceCsv, invoiceHtml, INVOICING_SETTINGS, MonthSchema, statusOf, VatCodeSchema, type IssuedDocument } from '#lib/invoicing';
import type { DocumentSummary } from '#lib/invoicing/ports';
import { IsoDate } from '#lib/time/iso-date';
import { READ_INVOICES, RUN_INVOICING } from '#lib/api/access';
import { Cursor, Limit, pageOf } from '#lib/api/paging';
import { apiRoute } from '#lib/api/services';

const DocumentNumber = z.string().check(z.regex(/^[A-Z][A-Z0-9]{0,7}-\d{4}-\d{6}$/, 'a document number, e.g. NT-2627-000001'));
const NumberPath = z.object({ number: DocumentNumber });

const PlacingAuthority = z.object({ laNumber: z.string(), name: z.string() });

const DocumentLineView = z.object({
  key: z.string(),
  placementId: z.string(),
  month: MonthSchema,
  component: z.string(),
  description: z.string(),
  homeName: z.optional(z.string()),
  childReference: z.optional(z.string()),
  firstNight: z.optional(IsoDate),
  lastNight: z.optional(IsoDate),
  nights: z.optional(z.int()),
  weeklyPence: z.optional(z.int()),
  netPence: z.int(),
  vatCode: VatCodeSchema,
  vatPence: z.int(),
  account: z.string(),
  purchaseOrder: z.string(),
  /** The original invoice a correction line adjusts. */
  adjusts: z.optional(z.string()),
});

const Header = {
  number: DocumentNumber,
  kind: z.enum(['invoice', 'credit-note', 'supplementary-invoice']),
  placingAuthority: PlacingAuthority,
  /** The month charged or corrected. */
  month: MonthSchema,
  /** The month whose run issued it. */
  runMonth: MonthSchema,
  issueDate: IsoDate,
  dueDate: IsoDate,
  corrects: z.optional(z.string()),
  purchaseOrders: z.array(z.string()),
  netPence: z.int(),
  vatPence: z.int(),
  grossPence: z.int(),
};
export const DocumentView = z.object({ ...Header, lines: z.array(DocumentLineView) });
export const DocumentSummaryView = z.object({ ...Header, lineCount: z.int() });
type DocumentView = z.output<typeof DocumentView>;

function placingAuthority(laNumber: string): z.input<typeof PlacingAuthority> {
  return { laNumber, name: customerOf(laNumber).name };
}

function headerView(d: IssuedDocument | DocumentSummary) {
  return {
    number: d.number,
    kind: d.kind,
    placingAuthority: placingAuthority(d.placingLa),
    month: d.month,
    runMonth: d.runMonth,
    issueDate: d.issueDate,
    dueDate: d.dueDate,
    ...(d.corrects ? { corrects: d.corrects } : {}),
    purchaseOrders: d.purchaseOrders,
    netPence: d.netPence,
    vatPence: d.vatPence,
    grossPence: d.grossPence,
  };
}

const documentView = (d: IssuedDocument): z.input<typeof DocumentView> => ({ ...headerView(d), lines: d.lines });

/** The one model every rendering of a document is drawn from. */
const modelOf = (d: DocumentView) => documentModel({ ...d, placingLa: d.placingAuthority.laNumber }, INVOICING_SETTINGS.issuer, customerOf(d.placingAuthority.laNumber));
const asCsv = (d: DocumentView) => invoiceCsv([modelOf(d)]);
const asHtml = (d: DocumentView) => invoiceHtml(modelOf(d));
// Loaded when a PDF is first asked for: pdf-lib and its fonts are a third of the api's bundle, and set up nothing until then.
const asPdf = async (d: DocumentView) => (await import('#lib/invoicing/document-pdf')).documentPdf(modelOf(d));

export const RunProgress = z.object({
  month: MonthSchema,
  status: z.enum(['drafting', 'numbering', 'complete']),
  startedAt: z.iso.datetime(),
  completedAt: z.optional(z.iso.datetime()),
  councils: z.object({ expected: z.int(), staged: z.int(), done: z.int() }),
  documentsIssued: z.int(),
});

const ListQuery = z.object({
    /** A council's documents, by the month charged. */
    council: z.optional(LaNumber),
    /** The documents of that month's run (issued on the 1st of the month after). */
    month: z.optional(MonthSchema),
    limit: Limit,
    cursor: Cursor,
  }).check(z.superRefine((q, ctx) => {
    if (q.council === undefined && q.month === undefined) {
      ctx.addIssue({ code: 'custom', path: ['council'], message: 'give council (an LA number), month (YYYY-MM) or both' });
    }
  }));

async function getDocument(number: string, invoices: { get(n: string): Promise<IssuedDocument | undefined> }) {
  return documentView(found(await invoices.get(number), 'invoice or credit note'));
}

const RENDERINGS = { csv: asCsv, html: asHtml, pdf: asPdf };

/**
 * An issued document: at `/api/invoices/{number}` in whichever representation the request asks
 * for, or at a path that names one (`/api/invoices/{number}.pdf`) in that one only.
 */
function documentRoute(representation?: keyof typeof RENDERINGS) {
  return apiRoute({
    method: 'GET',
    path: representation ? `/api/invoices/{number}.${representation}` : '/api/invoices/{number}',
    roles: READ_INVOICES,
    params: NumberPath,
    response: DocumentView,
    ...(representation ? { representation, renderAs: { [representation]: RENDERINGS[representation] } } : { renderAs: RENDERINGS }),
    handle: ({ params }, { invoices }) => getDocument(params.number, invoices),
  });
}

export const invoicingRoutes = [
  apiRoute({
    method: 'GET',
    path: '/api/invoices',
    roles: READ_INVOICES,
    query: ListQuery,
    response: pageOf(DocumentSummaryView),
    async handle({ query }, { invoices }) {
      // With a month, the run's index (one council's part of it, if named); otherwise the council's, every month.
      const scope: CursorScope =
        query.month !== undefined
          ? { keys: { pk: 'any', sk: 'any', gsi2pk: { equals: `RUN#${query.month}` }, gsi2sk: query.council ? { startsWith: `${query.council}#` } : 'any' } }
          : { keys: { pk: 'any', sk: 'any', gsi1pk: { equals: `LA#${query.council}` }, gsi1sk: 'any' } };
      const by = query.month !== undefined ? { run: query.month, ...(query.council ? { council: query.council } : {}) } : { council: query.council! };
      const page = await invoices.summaries(by, query.limit, decodeCursor(query.cursor, scope));
      const cursor = encodeCursor(page.cursor, scope);
      return { items: page.items.map((d) => ({ ...headerView(d), lineCount: d.lineCount })), ...(cursor ? { cursor } : {}) };
    },
  }),
  // The routes whose path names the format come before /api/invoices/{number}, which would match them too.
  ...(['csv', 'html', 'pdf'] as const).map((representation) => documentRoute(representation)),
  documentRoute(),
  apiRoute({
    method: 'POST',
    path: '/api/invoicing/runs',
    roles: RUN_INVOICING,
    status: 202,
    body: z.strictObject({ month: MonthSchema }),
    response: z.object({ month: MonthSchema, queued: z.literal(true) }),
    async handle({ body, caller }, { invoices, invoiceJobs, clock }) {
      // Refused here, so the queue carries only runs that can go; the builder checks again when it starts one.
      assertMonthEnded(body.month, clock.nowMs());
      const [run, latest] = await Promise.all([invoices.getRun(body.month), invoices.latestRunMonth()]);
      if (run?.completedAt) {
        throw new Conflict('run-complete', `the run for ${body.month} has completed; later changes to it are corrected by the next month's run`);
      }
      if (!run && latest !== undefined && latest > body.month) {
        throw new Conflict('run-out-of-order', `the run for ${latest} has started; runs go in month order (later changes are corrected by the next run)`);
      }
      if (!run && latest !== undefined && !(await invoices.getRun(latest))?.completedAt) {
        throw new Conflict('previous-run-incomplete', `the run for ${latest} has not completed yet`);
      }
      // A new run, or one under way (asking again re-queues its pending jobs: a nudge after a failure was fixed).
      await invoiceJobs.send([{ type: 'run', month: body.month, requestedBy: caller.subject }]);
      return { month: body.month, queued: true as const };
    },
  }),
  apiRoute({
    method: 'GET',
    path: '/api/invoicing/runs/{month}',
    roles: READ_INVOICES,
    params: z.object({ month: MonthSchema }),
    response: RunProgress,
    async handle({ params }, { invoices }) {
      const run = found(await invoices.runProgress(params.month), 'invoicing run');
      return {
        month: run.month,
        status: statusOf(run),
        startedAt: run.startedAt,
        ...(run.completedAt ? { completedAt: run.completedAt } : {}),
        councils: { expected: run.councils.length, staged: run.staged.length, done: run.done.length },
        documentsIssued: run.documentsIssued,
      };
    },
  }),
];
