/**
 * The embedded emulators used by `npm start` and the integration tests: DynamoDB Local and fauxqs
 * (SQS + SNS), both on 127.0.0.1 only, both speaking the real AWS wire protocols.
 */
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { dynamodbDataDir } from './data-dir';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local';
import { LOCAL_REGION } from './constants';
import { startSqsLocal, type SqsLocal } from './sqs-local';

/** The emulators' region (the tests' and benches' clients name it). */
export { LOCAL_REGION as REGION } from './constants';

export interface EmulatorOptions {
  /** Persist both emulators' data under this directory (dynamodb/, sqs/); omitted = in memory. */
  dataDir?: string;
  /** 0 or omitted = a free port. */
  dynamodbPort?: number;
  /** DynamoDB Local already starting (`npm start` starts it first: it takes longest), used instead of starting one. */
  dynamodb?: Promise<DynamoDbLocal>;
  sqsPort?: number;
}

export interface EmulatorEndpoints {
  dynamodb: string;
  /** fauxqs serves SQS and SNS on the same port. */
  sqs: string;
  sns: string;
}

export interface Emulators {
  endpoints: EmulatorEndpoints;
  /** Milliseconds each took to start (they start in parallel). */
  startupMs: { dynamodb: number; sqs: number };
  stop(): Promise<void>;
}

export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const timed = async <T>(start: () => Promise<T>): Promise<[T, number]> => {
    const t0 = performance.now();
    const value = await start();
    return [value, Math.round(performance.now() - t0)];
  };
  const [dynamo, sqs] = await Promise.allSettled([
    timed(
      () =>
        options.dynamodb ??
        startDynamoDbLocal({
          port: options.dynamodbPort ?? 0,
          ...(options.dataDir ? { dbPath: dynamodbDataDir(options.dataDir) } : {}),
        }),
    ),
    timed(() =>
      startSqsLocal({
        port: options.sqsPort ?? 0,
        ...(options.dataDir ? { dataDir: join(options.dataDir, 'sqs') } : {}),
      }),
    ),
  ]);
  if (dynamo.status === 'rejected' || sqs.status === 'rejected') {
    const started: Array<DynamoDbLocal | SqsLocal> = [];
    if (dynamo.status === 'fulfilled') started.push(dynamo.value[0]);
    if (sqs.status === 'fulfilled') started.push(sqs.value[0]);
    await Promise.allSettled(started.map((e) => e.stop()));
    throw dynamo.status === 'rejected' ? dynamo.reason : (sqs as PromiseRejectedResult).reason;
  }
  const [dynamodb, dynamoMs] = dynamo.value;
  const [queues, sqsMs] = sqs.value;
  return {
    endpoints: { dynamodb: dynamodb.endpoint, sqs: queues.endpoint, sns: queues.endpoint },
    startupMs: { dynamodb: dynamoMs, sqs: sqsMs },
    stop: async () => {
      await Promise.all([dynamodb.stop(), queues.stop()]);
    },
  };
}

/** The emulators accept any credentials; these never leave the machine. */
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export function dynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials });
}

export function sqsClient(endpoint: string): SQSClient {
  // Queue URLs name an unresolvable host (sqs.<region>.localhost): always send to the endpoint.
  return new SQSClient({ endpoint, region: LOCAL_REGION, credentials, useQueueUrlAsEndpoint: false });
}

export function snsClient(endpoint: string): SNSClient {
  return new SNSClient({ endpoint, region: LOCAL_REGION, credentials });
}

export interface EmulatorClients {
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  sns: SNSClient;
}

/** A client of each emulated service, for the emulators at `endpoints`. */
export function emulatorClientsAt(endpoints: EmulatorEndpoints): EmulatorClients {
  return { dynamodb: dynamoClient(endpoints.dynamodb), sqs: sqsClient(endpoints.sqs), sns: snsClient(endpoints.sns) };
}

/**
 * The environment that points SDK clients created with no endpoint (as lib/ adapters create them) at
 * the emulators, through the SDK's own AWS_ENDPOINT_URL_<SERVICE> variables, with the dummy credentials.
 */
export function emulatorEnvironment(endpoints: EmulatorEndpoints): Record<string, string> {
  return {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    AWS_ENDPOINT_URL_SNS: endpoints.sns,
  };
}
