import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { documentClient } from '#lib/aws/clients';
import { stackClock } from '#lib/stack-clock';
import { matcherConfigSchema } from '#lib/config';
import { DynamoEstateStore } from '#lib/estate/dynamo-estate-store';
import { loadEstate } from '#lib/estate/estate-store';
import { DynamoProposalStore } from '#lib/matching/dynamo-proposal-store';
import { Matcher, once, type MatchOutcome } from '#lib/matching/matcher';
import { MatchingRequest } from '#lib/matching/matching-request';
import { dynamoOfferReleaser } from '#lib/placements/offer-releaser';
import { DynamoReferralReader } from '#lib/referrals/dynamo-referral-reader';
import { functionKit, sqsFunction } from '#functions/kit/index';

const kit = functionKit('matcher', matcherConfigSchema);
const { config, logger, metrics } = kit;
const db = documentClient({ budget: 'background' });
const referrals = new DynamoReferralReader(db, config.referralsTable);
const proposals = new DynamoProposalStore(db, config.referralsTable);
// A withdrawal's offers are let go of by the placements context's own release, through its port.
const offers = dynamoOfferReleaser(db, { estate: config.estateTable, referrals: config.referralsTable, placements: config.placementsTable }, stackClock);

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
    // Every record of a batch is ranked against one read of the estate: it is the same estate, read once.
    let estateReadUnits = 0;
    const estate = new DynamoEstateStore(db, config.estateTable, { onConsumedCapacity: (units) => (estateReadUnits += units) });
    const matcher = new Matcher({ referrals, proposals, offers, estate: once(() => loadEstate(estate)) });
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
