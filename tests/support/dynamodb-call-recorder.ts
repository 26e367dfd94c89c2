import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * DynamoDB's operations that cannot change a table's items. Anything else that passes (PutItem,
 * UpdateItem, TransactWriteItems, PartiQL, a table operation, one not listed) counts as a possible write.
 */
const READ_ONLY_OPERATIONS = new Set([
  'GetItem',
  'BatchGetItem',
  'Query',
  'Scan',
  'TransactGetItems',
  'DescribeTable',
  'DescribeTimeToLive',
  'DescribeContinuousBackups',
  'DescribeEndpoints',
  'DescribeLimits',
  'ListTables',
  'ListTagsOfResource',
]);

/** The operation a DynamoDB call names in its `X-Amz-Target` header (`DynamoDB_20120810.PutItem` → `PutItem`). */
export function dynamoOperationOf(target: string | undefined): string {
  return target?.split('.').at(-1) ?? '';
}

export const isReadOnlyOperation = (operation: string): boolean => READ_ONLY_OPERATIONS.has(operation);

export interface DynamoCallRecorder {
  /** Point the code under test's DynamoDB client here: every call is passed on to DynamoDB unchanged. */
  endpoint: string;
  /** Calls passed on so far that could have changed an item (see READ_ONLY_OPERATIONS). */
  possibleWrites(): number;
  stop(): Promise<void>;
}

/**
 * An HTTP relay in front of DynamoDB that counts the calls going through it that could write, so a test
 * can tell "nothing was even asked to write" without reading every table. The request and the answer
 * pass byte for byte (DynamoDB Local does not check the signature's host).
 */
export async function startDynamoCallRecorder(upstream: string): Promise<DynamoCallRecorder> {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true });
  let possibleWrites = 0;
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    if (!isReadOnlyOperation(dynamoOperationOf(incoming.headers['x-amz-target'] as string | undefined))) possibleWrites++;
    const forwarded = httpRequest(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers, agent },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    possibleWrites: () => possibleWrites,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}
