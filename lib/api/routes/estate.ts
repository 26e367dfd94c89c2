import * as z from '#lib/validation';
import { Home, OutOfUse, weeklyPriceBreakdown, type VersionedHome } from '#lib/estate';
import { found } from '#lib/errors';
import { InvalidDecision } from '#lib/placements';
import { EDIT_ESTATE, READ_ESTATE } from '#lib/api/access';
import { Cursor, Limit, pageOf } from '#lib/api/paging';
import { apiRoute } from '#lib/api/services';

const Slug = z.string().check(z.minLength(1), z.maxLength(63));

export const BedPrice = z.object({
  bedId: z.string(),
  costPence: z.int(),
  voidAllowancePence: z.int(),
  premiumPence: z.int(),
  weeklyPricePence: z.int(),
});

/** A home as stored, with the version its next change is checked against and each bed's derived weekly price. */
export const HomeView = z.object({ version: z.int().check(z.gte(1)), home: Home, prices: z.array(BedPrice) });

export function homeView({ home, version }: VersionedHome): z.input<typeof HomeView> {
  return { version, home, prices: home.beds.map((bed) => ({ bedId: bed.id, ...weeklyPriceBreakdown(home, bed) })) };
}

const HomePath = z.object({ homeId: Slug });

export const estateRoutes = [
  apiRoute({
    method: 'GET',
    path: '/api/homes',
    roles: READ_ESTATE,
    query: z.object({ limit: Limit, cursor: Cursor }),
    response: pageOf(HomeView),
    async handle({ query }, { reads }) {
      const page = await reads.homesPage(query.limit, query.cursor);
      return { ...page, items: page.items.map(homeView) };
    },
  }),
  apiRoute({
    method: 'GET',
    path: '/api/homes/{homeId}',
    roles: READ_ESTATE,
    params: HomePath,
    response: HomeView,
    handle: async ({ params }, { store }) => homeView(found(await store.getHome(params.homeId), 'home')),
  }),
  apiRoute({
    method: 'PUT',
    path: '/api/homes/{homeId}',
    roles: EDIT_ESTATE,
    params: HomePath,
    body: Home,
    response: HomeView,
    async handle({ params, body, caller }, { decisions }) {
      if (body.id !== params.homeId) throw new InvalidDecision('id', 'invalid_value', 'the home id in the body must match the path');
      return homeView(await decisions.putHome(caller, body));
    },
  }),
  apiRoute({
    method: 'PUT',
    path: '/api/homes/{homeId}/beds/{bedId}/out-of-use',
    roles: EDIT_ESTATE,
    params: z.object({ homeId: Slug, bedId: Slug }),
    body: z.strictObject({ periods: z.array(OutOfUse).check(z.maxLength(100)) }),
    response: HomeView,
    async handle({ params, body, caller }, { decisions }) {
      return homeView(await decisions.setOutOfUse(caller, params.homeId, params.bedId, body.periods));
    },
  }),
];

