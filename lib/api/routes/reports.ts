import { toCsv } from '#lib/csv';
import * as z from '#lib/validation';
import { MonthSchema } from '#lib/invoicing';
import { monthsFrom, OverrideReport, overrideReport } from '#lib/placements';
import { monthsBetween } from '#lib/time/calendar';
import { READ_OVERRIDES } from '#lib/api/access';
import { apiRoute } from '#lib/api/services';

const MAX_MONTHS = 24;

export const reportRoutes = [
  apiRoute({
    method: 'GET',
    path: '/api/reports/overrides',
    roles: READ_OVERRIDES,
    query: z.strictObject({ from: MonthSchema, to: MonthSchema }).check(z.refine((q) => q.from <= q.to && monthsBetween(q.from, q.to) < MAX_MONTHS, {
        message: `to must be on or after from, and at most ${MAX_MONTHS} months in all`,
        path: ['to'],
      })),
    response: OverrideReport,
    renderAs: {
      csv: (r) =>
        toCsv(
          ['group', 'key', 'name', 'count'],
          [
            ...r.byRule.map((x) => ['rule', x.rule, '', x.count]),
            ...r.byPerson.map((x) => ['person', x.subject, x.name, x.count]),
            ...r.byMonth.map((x) => ['month', x.month, '', x.count]),
          ],
        ),
    },
    async handle({ query }, { overrides }) {
      const months = monthsFrom(query.from, query.to);
      return overrideReport(await overrides.entriesIn(months), query.from, query.to);
    },
  }),
];
