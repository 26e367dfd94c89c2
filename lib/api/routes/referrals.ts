import * as z from '#lib/validation';
import { Proposal } from '#lib/matching';
import { NotFound } from '#lib/placements';
import { DecisionHistoryEntry, PlacementKind, Referral, ReferralId, ReferralStatus, type ReferralRecord } from '#lib/referrals';
import type { HistoryItem } from '#lib/referrals/ports';
import { IsoDate } from '#lib/time/iso-date';
import { PlacementType } from '#lib/codes/ssda903';
import { READ_REFERRALS } from '#lib/api/access';
import { Cursor, Limit, pageOf } from '#lib/api/paging';
import { apiRoute } from '#lib/api/services';
import { OfferView, offerView, PlacementView } from './views';

/** A line of the referrals list: enough to choose one to open, no more of the child than sex and date of birth. */
export const ReferralSummary = z.object({
  referralId: z.string(),
  status: ReferralStatus,
  version: z.int(),
  placingAuthority: z.optional(z.object({ laNumber: z.string(), name: z.string() })),
  sought: z.optional(z.object({ placementType: PlacementType, kind: PlacementKind, neededFrom: IsoDate, neededBy: z.string(), expectedWeeks: z.int() })),
  updatedAt: z.iso.datetime(),
});

function summary(record: ReferralRecord): z.input<typeof ReferralSummary> {
  const r = record.referral;
  return {
    referralId: record.referralId,
    status: record.status,
    version: record.version,
    updatedAt: record.updatedAt,
    ...(r
      ? {
          placingAuthority: { laNumber: r.placingAuthority.laNumber, name: r.placingAuthority.name },
          sought: {
            placementType: r.sought.placementType,
            kind: r.sought.kind,
            neededFrom: r.sought.neededFrom,
            neededBy: r.sought.neededBy,
            expectedWeeks: r.sought.expectedWeeks,
          },
        }
      : {}),
  };
}

/** A webhook event in the history, without the copy of the referral it carried. */
const WebhookHistory = z.object({
  source: z.literal('webhook'),
  version: z.int(),
  event: z.string(),
  webhookId: z.string(),
  at: z.iso.datetime(),
  changed: z.array(z.string()),
});
const HistoryView = z.discriminatedUnion('source', [WebhookHistory, z.extend(DecisionHistoryEntry, { source: z.literal('decision') })]);

function historyView(item: HistoryItem): z.input<typeof HistoryView> {
  if (item.source === 'decision') return { source: 'decision', ...item.entry };
  const { version, event, webhookId, receivedAt, changed } = item.entry;
  return { source: 'webhook', version, event, webhookId, at: receivedAt, changed };
}

export const ReferralDetail = z.object({
  referralId: z.string(),
  status: ReferralStatus,
  version: z.int(),
  placingLa: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  referral: z.optional(Referral),
  latestProposal: z.nullable(Proposal),
  /** Newest first. */
  history: z.array(HistoryView),
  offers: z.array(OfferView),
  placements: z.array(PlacementView),
});

export const referralRoutes = [
  apiRoute({
    method: 'GET',
    path: '/api/referrals',
    roles: READ_REFERRALS,
    query: z.object({ status: z._default(ReferralStatus, 'open'), limit: Limit, cursor: Cursor }),
    response: pageOf(ReferralSummary),
    async handle({ query }, { referrals }) {
      const page = await referrals.listByStatus(query.status, query.limit, query.cursor);
      return { ...page, items: page.items.map(summary) };
    },
  }),
  apiRoute({
    method: 'GET',
    path: '/api/referrals/{referralId}',
    roles: READ_REFERRALS,
    params: z.object({ referralId: ReferralId }),
    response: ReferralDetail,
    async handle({ params }, { referrals, reads, clock }) {
      const [view, made] = await Promise.all([referrals.getReferral(params.referralId), reads.ofReferral(params.referralId)]);
      if (!view) throw new NotFound('referral');
      const { record } = view;
      const nowMs = clock.nowMs();
      return {
        referralId: record.referralId,
        status: record.status,
        version: record.version,
        placingLa: record.placingLa,
        createdAt: record.createdAt,
        updatedAt: record.updatedAt,
        ...(record.referral ? { referral: record.referral } : {}),
        latestProposal: view.latestProposal ?? null,
        history: view.history.map(historyView),
        offers: made.offers.map((o) => offerView(o, nowMs)),
        placements: made.placements,
      };
    },
  }),
];
