/**
 * The start the benches against the emulators share: the embedded emulators, a client of each
 * service, and the stack's tables and queues provisioned under a prefix (the template synthesized
 * once, however many prefixes a bench provisions). A bench that counts capacity adds countCapacity
 * (./stats) to `clients.dynamodb` itself, before it provisions, where its figures say they start.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '#infra/local/dynamodb-local';
import { emulatorClientsAt, startEmulators, type EmulatorClients, type EmulatorEndpoints } from '#infra/local/emulators';
import { provisionTemplate, type ProvisionedResources } from '#infra/local/provision';
import { synthesizeTemplate } from '#infra/synth';

export interface EmulatorStack {
  endpoints: EmulatorEndpoints;
  clients: EmulatorClients;
  /** The stack's tables and queues under `prefix`, by logical id. */
  provision(prefix: string): Promise<ProvisionedResources['resources']>;
  /** A document client over `clients.dynamodb` that drops undefined attributes, as the stores write items. */
  documentClient(): DynamoDBDocumentClient;
  stop(): Promise<void>;
}

export async function startEmulatorStack(): Promise<EmulatorStack> {
  // The JVM's own defaults (C2, G1), not the project's JVM_OPTIONS: these benches put minutes of sustained
  // load on DynamoDB Local, where C2's peak pays for itself (Section 17's 10,000 awards: 118 s against 155 s
  // with the client compiler only), and their figures should be our code's against the emulator at its best.
  const emulators = await startEmulators({ dynamodb: startDynamoDbLocal({ jvmOptions: [] }) });
  const clients = emulatorClientsAt(emulators.endpoints);
  let template: unknown;
  return {
    endpoints: emulators.endpoints,
    clients,
    provision: async (prefix) => (await provisionTemplate((template ??= synthesizeTemplate({ bundle: false })), clients, { prefix })).resources,
    documentClient: () => DynamoDBDocumentClient.from(clients.dynamodb, { marshallOptions: { removeUndefinedValues: true } }),
    stop: () => emulators.stop(),
  };
}
