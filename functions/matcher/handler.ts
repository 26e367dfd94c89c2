import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { documentClient } from '#lib/aws/clients';
import { batchedItemReads } from '#lib/aws/item-reads';
import { stackClock } from '#lib/stack-clock';
import { matcherConfigSchema } from '#lib/config';
import { DynamoEstateStore } from '#lib/estate/dynamo-estate-store';
import { EstateCache } from '#lib/estate/estate-cache';
import { DynamoProposalStore } from '#lib/matching/dynamo-proposal-store';
import { Matcher, once, type MatchOutcome } from '#lib/matching/matcher';
import { MatchingRequest } from '#lib/matching/matching-request';
import { dynamoOfferReleaser } from '#lib/placements/dynamo-offer-releaser';
import { DynamoReferralReader } from '#lib/referrals/dynamo-referral-reader';
import { functionKit, sqsFunction } from '#functions/kit/index';

const kit = functionKit('matcher', matcherConfigSchema);
const { config, logger, metrics } = kit;
const db = documentClient({ budget: 'background' });
let estateReadUnits = 0;
// A request's reads (its referral, whether its version has a proposal, whether the estate has a new change) go out as one BatchGetItem.
const reads = batchedItemReads(db, (table, units) => {
  if (table === config.estateTable) estateReadUnits += units;
});
const referrals = new DynamoReferralReader(db, config.referralsTable, reads);
const proposals = new DynamoProposalStore(db, config.referralsTable, reads);
// A withdrawal's offers are let go of by the placements context's own release, through its port.
const offers = dynamoOfferReleaser(db, { estate: config.estateTable, referrals: config.referralsTable, placements: config.placementsTable }, stackClock);
// The estate, kept between invocations and brought up to date from its change feed (lib/estate/estate-cache.ts).
const estate = new EstateCache(new DynamoEstateStore(db, config.estateTable, { reads, onConsumedCapacity: (units) => (estateReadUnits += units) }));

const METRIC_OF_OUTCOME: Record<MatchOutcome['kind'], string> = {
  proposed: 'ProposalsMade',
  'already-proposed': 'ProposalsReplayed',
  superseded: 'RequestsSuperseded',
  closed: 'RequestsForClosedReferrals',
  'offers-released': 'WithdrawalsClosed',
};

/** Matching requests; identified in logs by referral id and version only, never by anything about the child. */
export const handler = sqsFunction(kit, {
  body: MatchingRequest,
  what: 'the matching request',
  batch() {
    // Every record of a batch is ranked against one refresh of the estate: it is the same estate.
    estateReadUnits = 0;
    const snapshot = once(() => estate.snapshot());
    // Refreshed while the first record's referral is read: most batches go on to rank.
    snapshot().catch(() => undefined);
    const matcher = new Matcher({ referrals, proposals, offers, estate: snapshot });
    return {
      async handle(request, record) {
        const outcome = await matcher.handle(request);
        logger.info('matching request', { referralId: request.referralId, version: request.version, event: request.event, outcome, messageId: record.messageId });
        metrics.addMetric(METRIC_OF_OUTCOME[outcome.kind], MetricUnit.Count, 1);
        return outcome;
      },
      done() {
        if (estateReadUnits > 0) metrics.addMetric('EstateReadUnits', MetricUnit.Count, estateReadUnits);
      },
    };
  },
});
