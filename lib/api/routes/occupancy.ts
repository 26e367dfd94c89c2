import * as z from '#lib/validation';
import { whenValid } from '#lib/validation';
import { bedOf, CALENDAR_KEEPS_DAYS, calendarHorizon, MAX_VOID_PERIOD_NIGHTS, NotFound, occupancyOn, voidNights } from '#lib/placements';
import { IsoDate } from '#lib/time/iso-date';
import { daysBetween, londonDateAt } from '#lib/time/calendar';
import { BadRequest } from '#lib/http';
import { READ_ESTATE } from '#lib/api/access';
import { Cursor, Limit } from '#lib/api/paging';
import { apiRoute } from '#lib/api/services';

const BedOnNight = z.object({
  bedId: z.string(),
  sellable: z.boolean(),
  outOfUse: z.optional(z.object({ from: IsoDate, to: z.optional(IsoDate), reason: z.string() })),
  occupant: z.optional(z.object({ placementId: z.string(), referralId: z.optional(z.string()), placedBy: z.string(), sex: z.enum(['F', 'M']), age: z.int() })),
  offer: z.optional(z.object({ offerId: z.string(), referralId: z.optional(z.string()), expiresAt: z.optional(z.iso.datetime()) })),
});

const occupancyOf = <B extends z.ZodMiniType>(bed: B) =>
  z.object({
    date: IsoDate,
    homes: z.array(z.object({ homeId: z.string(), name: z.string(), beds: z.array(bed) })),
    cursor: z.optional(z.string()),
  });
const Occupancy = occupancyOf(BedOnNight);

/** Finance: which placement (and so which council) holds each bed; not the child's sex or age. */
const FinanceOccupancy = occupancyOf(z.extend(BedOnNight, { occupant: z.optional(z.pick(BedOnNight.shape.occupant.def.innerType, { placementId: true, referralId: true, placedBy: true })) }));

const VoidNights = z.object({
  bedId: z.string(),
  homeId: z.string(),
  sellable: z.boolean(),
  from: IsoDate,
  to: IsoDate,
  nights: z.int(),
  occupiedNights: z.int(),
  outOfUseNights: z.int(),
  keptBackNights: z.int(),
  voidNights: z.int(),
  voidPeriods: z.array(z.object({ from: IsoDate, to: IsoDate })),
});

export const occupancyRoutes = [
  apiRoute({
    method: 'GET',
    path: '/api/occupancy',
    roles: READ_ESTATE,
    query: z.object({ date: IsoDate, limit: Limit, cursor: Cursor }),
    response: Occupancy,
    narrower: [{ name: 'finance', roles: ['finance'], schema: FinanceOccupancy }],
    async handle({ query }, { reads, clock }) {
      const nowMs = clock.nowMs();
      // Calendars keep holds back to their horizon only; earlier nights are in the beds' histories.
      const earliest = calendarHorizon({ nowMs, today: londonDateAt(nowMs) });
      if (query.date < earliest) {
        throw new BadRequest('the date is too far back for the calendars', [
          { field: 'query.date', rule: 'too_small', message: `occupancy is kept for the last ${CALENDAR_KEEPS_DAYS} days and later: ${earliest} or after` },
        ]);
      }
      const page = await reads.homesPage(query.limit, query.cursor);
      const calendars = await reads.calendarsOf(page.items.map((h) => h.home.id));
      const homes = occupancyOn(query.date, page.items.map((h) => h.home), calendars, nowMs);
      return { date: query.date, homes, ...(page.cursor ? { cursor: page.cursor } : {}) };
    },
  }),
  apiRoute({
    method: 'GET',
    path: '/api/beds/{bedId}/void-nights',
    roles: READ_ESTATE,
    params: z.object({ bedId: z.string().check(z.minLength(1), z.maxLength(63)) }),
    query: z.object({ from: IsoDate, to: IsoDate }).check(
      z.refine((q) => q.to > q.from, { ...whenValid, message: 'to must be after from', path: ['to'] }),
      z.refine((q) => daysBetween(q.from, q.to) <= MAX_VOID_PERIOD_NIGHTS, { ...whenValid, message: `at most ${MAX_VOID_PERIOD_NIGHTS} nights`, path: ['to'] }),
    ),
    response: VoidNights,
    async handle({ params, query }, { store, reads }) {
      const homeId = await store.homeOfBed(params.bedId);
      const home = homeId ? await store.getHome(homeId) : undefined;
      if (!home) throw new NotFound('bed');
      const bed = bedOf(home.home, params.bedId);
      const placements = await reads.placementsOfBed(bed.id, query.from, query.to);
      const stays = placements.map((p) => ({ from: p.startDate, to: p.ending?.endDate }));
      return { bedId: bed.id, homeId: home.home.id, sellable: bed.sellable, ...query, ...voidNights(bed, stays, query) };
    },
  }),
];

