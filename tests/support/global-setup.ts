/**
 * vitest globalSetup of the stack project: starts the embedded emulators once for the whole run
 * (in-memory DynamoDB Local and fauxqs, both on 127.0.0.1) and synthesizes the stack's template once
 * (no bundling; shared with the infra project, tests/support/run-template.ts), in parallel; test files
 * get both through `inject` (see tests/support/emulators.ts) and provision their own copy of the stack
 * under a unique prefix.
 */
import type { TestProject } from 'vitest/node';
import { startEmulators } from '#infra/local/emulators';
import { runTemplate } from './run-template';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    sqsEndpoint: string;
    snsEndpoint: string;
    /** The synthesized CloudFormation template (bundle: false), or undefined if synthesis failed. */
    stackTemplate: Record<string, unknown> | undefined;
    /** Why synthesis failed; only tests that provision the stack fail because of it. */
    stackTemplateError: string | undefined;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Spawn the emulators first, so DynamoDB Local's JVM boots while aws-cdk-lib loads and synthesizes.
  const starting = startEmulators();
  starting.catch(() => undefined); // awaited below; this only keeps Node from calling it unhandled meanwhile
  const template = await runTemplate();
  const emulators = await starting;

  project.provide('dynamodbEndpoint', emulators.endpoints.dynamodb);
  project.provide('sqsEndpoint', emulators.endpoints.sqs);
  project.provide('snsEndpoint', emulators.endpoints.sns);
  project.provide('stackTemplate', 'ok' in template ? template.ok : undefined);
  project.provide('stackTemplateError', 'error' in template ? template.error : undefined);

  return async () => {
    await emulators.stop();
  };
}
