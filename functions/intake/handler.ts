import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { documentClient, sqsClient } from '#lib/aws/clients';
import { systemClock } from '#lib/clock';
import { intakeConfigSchema, parseConfig } from '#lib/config';
import { errorResponse } from '#lib/http/error-response';
import { problemResponse, type HttpResponse } from '#lib/http/problem';
import { SqsMatchingPublisher } from '#lib/matching/sqs-matching-publisher';
import { DynamoIntakeStore } from '#lib/referrals/dynamo-intake-store';
import { ReferralIntake } from '#lib/referrals/intake';
import { outcomeResponse, receiveDelivery, type RawRequest } from '#lib/referrals/webhook-delivery';
import { loadWebhookKeys } from '#lib/webhooks/webhook-secrets';

const config = parseConfig(intakeConfigSchema);
const logger = new Logger({ serviceName: 'intake' });
const metrics = new Metrics({ namespace: 'CaredFor', serviceName: 'intake' });
const intake = new ReferralIntake(
  new DynamoIntakeStore(documentClient(), { referrals: config.referralsTable, idempotency: config.idempotencyTable }),
  new SqsMatchingPublisher(sqsClient(), config.matchingQueueUrl),
  systemClock,
);

/** The raw bytes as sent (API Gateway base64-encodes binary media types) and lower-cased headers. */
function rawRequest(event: Pick<APIGatewayProxyEvent, 'headers' | 'body' | 'isBase64Encoded'>): RawRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  return { headers, body };
}

/** One delivery, one data point, dimensioned by how it ended (flushed by logMetrics). */
function count(outcome: string): void {
  metrics.addDimension('Outcome', outcome);
  metrics.addMetric('ReferralDeliveries', MetricUnit.Count, 1);
}

async function receive(event: APIGatewayProxyEvent): Promise<HttpResponse> {
  const keys = await loadWebhookKeys({ secretArn: config.webhookSecretArn, secrets: config.webhookSecrets });
  const received = receiveDelivery(rawRequest(event), keys, Math.floor(systemClock.nowMs() / 1000));
  if (!received.ok) {
    // Field paths and rules only: values may be a child's data.
    logger.info('delivery refused', {
      status: received.problem.status,
      problem: received.problem.type,
      errors: received.problem.errors?.map((e) => `${e.field}:${e.rule}`),
    });
    count(`refused-${received.problem.status}`);
    return problemResponse(received.problem);
  }

  const { webhookId, event: referralEvent } = received.delivery;
  logger.appendKeys({ webhookId, referralId: referralEvent.data.referralId, eventType: referralEvent.type });
  const outcome = await intake.accept(received.delivery);
  logger.info('delivery handled', { outcome: outcome.kind, ...(outcome.kind === 'conflict' ? { reason: outcome.reason } : {}) });
  count(outcome.kind === 'conflict' ? outcome.reason : outcome.kind);
  return outcomeResponse(outcome);
}

export const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    try {
      return await receive(event);
    } catch (error) {
      logger.error('delivery failed', { error: error as Error });
      count('error');
      return errorResponse(error);
    }
  });
