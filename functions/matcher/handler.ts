import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { documentClient } from '#lib/aws/clients';
import { systemClock } from '#lib/clock';
import { matcherConfigSchema, parseConfig } from '#lib/config';
import { DynamoEstateStore } from '#lib/estate/dynamo-estate-store';
import { loadEstate } from '#lib/estate/estate-store';
import { DynamoProposalStore } from '#lib/matching/dynamo-proposal-store';
import { Matcher, once, type MatchOutcome } from '#lib/matching/matcher';
import { MatchingRequest } from '#lib/matching/matching-request';
import { dynamoOfferReleaser } from '#lib/placements/offer-releaser';
import { DynamoReferralReader } from '#lib/referrals/dynamo-referral-reader';

const config = parseConfig(matcherConfigSchema);
const logger = new Logger({ serviceName: 'matcher' });
const metrics = new Metrics({ namespace: 'CaredFor', serviceName: 'matcher' });
const db = documentClient();
const referrals = new DynamoReferralReader(db, config.referralsTable);
const proposals = new DynamoProposalStore(db, config.referralsTable);
// A withdrawal's offers are let go of by the placements context's own release, through its port.
const offers = dynamoOfferReleaser(
  db,
  { estate: config.estateTable, referrals: config.referralsTable, placements: config.placementsTable },
  systemClock,
);
const processor = new BatchProcessor(EventType.SQS, { logger });

const METRIC_OF_OUTCOME: Record<MatchOutcome['kind'], string> = {
  proposed: 'ProposalsMade',
  'already-proposed': 'ProposalsReplayed',
  superseded: 'RequestsSuperseded',
  closed: 'RequestsForClosedReferrals',
  'offers-released': 'WithdrawalsClosed',
};

/** The body as a matching request; errors name no part of the body (JSON.parse's would quote it). */
function parseRequest(body: string): MatchingRequest {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new SyntaxError('the matching request is not JSON');
  }
  return MatchingRequest.parse(json);
}

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event, context) => {
    let estateReadUnits = 0;
    const estateStore = new DynamoEstateStore(db, config.estateTable, { onConsumedCapacity: (units) => (estateReadUnits += units) });
    // Every record of a batch is ranked against one read of the estate: it is the same estate, read once.
    const matcher = new Matcher({ referrals, proposals, offers, estate: once(() => loadEstate(estateStore)) });

    /** One matching request; identified in logs by referral id and version only, never by anything about the child. */
    async function matchRecord(record: SQSRecord): Promise<MatchOutcome> {
      const request = parseRequest(record.body);
      const outcome = await matcher.handle(request);
      logger.info('matching request', { referralId: request.referralId, version: request.version, event: request.event, outcome, messageId: record.messageId });
      metrics.addMetric(METRIC_OF_OUTCOME[outcome.kind], MetricUnit.Count, 1);
      return outcome;
    }

    const response = await processPartialResponse(event, matchRecord, processor, { context });
    if (estateReadUnits > 0) metrics.addMetric('EstateReadUnits', MetricUnit.Count, estateReadUnits);
    return response;
  });
