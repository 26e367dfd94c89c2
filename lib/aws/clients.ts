import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * SDK clients, created once per container. Endpoints come from the SDK's own
 * `AWS_ENDPOINT_URL_<SERVICE>` variables, which the local runner and tests set.
 *
 * Every client has connect and request timeouts well inside its function's
 * timeout, so a service that is down or does not answer becomes an error
 * (a 503 with Retry-After behind HTTP, a retried message behind a queue),
 * never a Lambda timeout. The SDK retries throttling, timeouts and network
 * errors itself (standard mode, jittered backoff) up to `maxAttempts`.
 */
export const CALL_BUDGETS = {
  /** Behind an HTTP answer (functions of 10–15 s): at most about 6.5 s for one call, then the caller hears 503. */
  interactive: { connectionTimeout: 1_000, requestTimeout: 3_000, maxAttempts: 2 },
  /** Queue and schedule work (functions of 20 s and more): more patience; a failure is retried by SQS or Lambda. */
  background: { connectionTimeout: 2_000, requestTimeout: 5_000, maxAttempts: 3 },
} as const;

export type CallBudget = keyof typeof CALL_BUDGETS;

/** Client settings for a budget: NodeHttpHandler's connect and request timeouts, and the SDK's attempts. */
export function clientConfig(budget: CallBudget) {
  const { connectionTimeout, requestTimeout, maxAttempts } = CALL_BUDGETS[budget];
  // throwOnRequestTimeout: without it this SDK only logs a warning when requestTimeout passes, and waits on.
  return { maxAttempts, retryMode: 'standard', requestHandler: { connectionTimeout, requestTimeout, throwOnRequestTimeout: true } } as const;
}

export function documentClient(options: { budget?: CallBudget; client?: DynamoDBClient } = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(options.client ?? new DynamoDBClient(clientConfig(options.budget ?? 'interactive')), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/** Queue URLs from emulators name hosts that don't resolve; always call the configured endpoint. */
export function sqsClient(budget: CallBudget = 'interactive'): SQSClient {
  return new SQSClient({ ...clientConfig(budget), useQueueUrlAsEndpoint: false });
}

export function snsClient(budget: CallBudget = 'interactive'): SNSClient {
  return new SNSClient(clientConfig(budget));
}
