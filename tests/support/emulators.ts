/**
 * Helpers for tests that run against the embedded emulators started by tests/support/global-setup.ts.
 *
 *   const stack = await provisionStack('intake');
 *   stack.tables.ReferralsTable          // local table name
 *   stack.queues.MatchingQueue.url       // queue URL (send with sqsClient: the host does not resolve)
 */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { emulatorClientsAt, emulatorEnvironment, type EmulatorClients, type EmulatorEndpoints } from '#infra/local/emulators';
import { provisionTemplate, type ProvisionedResources } from '#infra/local/provision';

export function emulatorEndpoints(): EmulatorEndpoints {
  return { dynamodb: inject('dynamodbEndpoint'), sqs: inject('sqsEndpoint'), sns: inject('snsEndpoint') };
}

export type { EmulatorClients };

let cachedClients: EmulatorClients | undefined;

/** SDK clients pointed at the emulators (region eu-west-2, dummy credentials), one set per test file. */
export function emulatorClients(): EmulatorClients {
  if (!cachedClients) {
    cachedClients = emulatorClientsAt(emulatorEndpoints());
  }
  return cachedClients;
}

/**
 * Points SDK clients created with no endpoint (as lib/ adapters create them) at the emulators, via
 * the SDK's own AWS_ENDPOINT_URL_<SERVICE> variables. Call in beforeAll; affects this test file only
 * (each file runs in its own process).
 */
export function useEmulatorEnvironment(overrides: Partial<EmulatorEndpoints> = {}): void {
  Object.assign(process.env, emulatorEnvironment({ ...emulatorEndpoints(), ...overrides }));
}

export interface ProvisionedStack extends ProvisionedResources {
  /** The prefix every local name starts with. */
  prefix: string;
  /** Table names by logical id. */
  tables: Record<string, string>;
  /** Queues by logical id. */
  queues: Record<string, { name: string; url: string; arn: string }>;
  /** Topic ARNs by logical id. */
  topics: Record<string, string>;
}

/** The stack's synthesized template (bundle: false), synthesized once per run by the global setup. */
export function stackTemplate(): Record<string, unknown> {
  const template = inject('stackTemplate');
  if (!template) throw new Error(`The stack did not synthesize:\n${inject('stackTemplateError') ?? 'unknown error'}`);
  return template;
}

/**
 * Creates the stack's tables, queues (with their DLQs and redrive), topics and subscriptions on the
 * emulators under a fresh prefix (`<name>-<random>`), so test files running in parallel, or a file
 * re-run in watch mode, never share data. Pass a template to provision something else.
 */
export async function provisionStack(name = 'test', template: unknown = stackTemplate(), clients: EmulatorClients = emulatorClients()): Promise<ProvisionedStack> {
  const prefix = `${name}-${randomUUID().slice(0, 8)}`;
  const provisioned = await provisionTemplate(template, clients, { prefix });
  const tables: ProvisionedStack['tables'] = {};
  const queues: ProvisionedStack['queues'] = {};
  const topics: ProvisionedStack['topics'] = {};
  for (const [logicalId, r] of Object.entries(provisioned.resources)) {
    if (r.type === 'AWS::DynamoDB::Table' || r.type === 'AWS::DynamoDB::GlobalTable') tables[logicalId] = r.name;
    if (r.type === 'AWS::SQS::Queue' && r.url) queues[logicalId] = { name: r.name, url: r.url, arn: r.arn };
    if (r.type === 'AWS::SNS::Topic') topics[logicalId] = r.arn;
  }
  return { ...provisioned, prefix, tables, queues, topics };
}
