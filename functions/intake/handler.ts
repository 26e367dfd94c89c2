import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { documentClient, sqsClient } from '#lib/aws/clients';
import { stackClock } from '#lib/stack-clock';
import { intakeConfigSchema } from '#lib/config';
import { problemResponse } from '#lib/http/problem';
import { SqsMatchingPublisher } from '#lib/matching/sqs-matching-publisher';
import { DynamoIntakeStore } from '#lib/referrals/dynamo-intake-store';
import { ReferralIntake } from '#lib/referrals/intake';
import { outcomeResponse, receiveDelivery } from '#lib/referrals/webhook-delivery';
import { loadVerificationKeys } from '#lib/webhooks/webhook-secrets';
import { functionKit, httpFunction } from '#functions/kit/index';

const kit = functionKit('intake', intakeConfigSchema);
const { config, metrics } = kit;
const intake = new ReferralIntake(
  new DynamoIntakeStore(documentClient(), { referrals: config.referralsTable, idempotency: config.idempotencyTable }),
  new SqsMatchingPublisher(sqsClient(), config.matchingQueueUrl),
  stackClock,
);

/** One delivery, one data point, dimensioned by how it ended (flushed by logMetrics). */
function count(outcome: string): void {
  metrics.addDimension('Outcome', outcome);
  metrics.addMetric('ReferralDeliveries', MetricUnit.Count, 1);
}

/** The regional inbox's signed webhook. Logged by webhook and referral id, failing field paths and rules: never values. */
export const handler = httpFunction(
  kit,
  async (request, annotate) => {
    const keys = await loadVerificationKeys({ secretArn: config.webhookSecretArn, secrets: config.webhookSecrets });
    const received = receiveDelivery({ headers: request.headers, body: request.rawBody }, keys, Math.floor(stackClock.nowMs() / 1000));
    if (!received.ok) {
      annotate({ problem: received.problem.type, errors: received.problem.errors?.map((e) => `${e.field}:${e.rule}`) });
      count(`refused-${received.problem.status}`);
      return problemResponse(received.problem);
    }
    const { webhookId, event } = received.delivery;
    annotate({ webhookId, referralId: event.data.referralId, eventType: event.type });
    const outcome = await intake.accept(received.delivery);
    annotate({ outcome: outcome.kind, ...(outcome.kind === 'conflict' ? { reason: outcome.reason } : {}) });
    count(outcome.kind === 'conflict' ? outcome.reason : outcome.kind);
    return outcomeResponse(outcome);
  },
  { metric: 'WebhookRequests' },
);
