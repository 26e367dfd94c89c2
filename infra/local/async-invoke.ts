/**
 * `AWS::Lambda::EventInvokeConfig`: how Lambda treats a function's asynchronous invocations (the
 * schedules' events). Locally as in AWS: a failed event is retried `MaximumRetryAttempts` times
 * (2 when unset), then, if the config names an on-failure destination (an SQS queue of the
 * template), the event goes there inside Lambda's invocation record, with the error.
 */
import { randomUUID } from 'node:crypto';
import type { WorkerError } from './lambda-runtime';
import { referencedIds, resourcesOfType, UnsupportedResourceError, type CfnTemplate } from './template';

export interface AsyncInvokeConfig {
  functionLogicalId: string;
  retryAttempts: number;
  /** The on-failure destination queue, by logical id. */
  onFailureQueueLogicalId?: string;
}

/** Lambda's retries of a failed asynchronous invocation when no config says otherwise. */
export const DEFAULT_ASYNC_RETRIES = 2;

/** Each function's async invoke config, by the function's logical id. */
export function readAsyncInvokeConfigs(template: CfnTemplate, functionIds: ReadonlySet<string>): Map<string, AsyncInvokeConfig> {
  const configs = new Map<string, AsyncInvokeConfig>();
  for (const [logicalId, r] of resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig')) {
    const p = r.Properties ?? {};
    const functionLogicalId = referencedIds(p.FunctionName).find((id) => functionIds.has(id));
    if (!functionLogicalId) throw new UnsupportedResourceError(logicalId, r.Type, 'its FunctionName is not a function of this template');
    if (p.Qualifier !== undefined && p.Qualifier !== '$LATEST') throw new UnsupportedResourceError(logicalId, r.Type, 'only $LATEST is invoked locally (no versions or aliases)');
    const destinations = (p.DestinationConfig ?? {}) as { OnFailure?: { Destination?: unknown }; OnSuccess?: unknown };
    if (destinations.OnSuccess !== undefined) throw new UnsupportedResourceError(logicalId, r.Type, 'on-success destinations are not delivered locally');
    let onFailureQueueLogicalId: string | undefined;
    if (destinations.OnFailure !== undefined) {
      onFailureQueueLogicalId = referencedIds(destinations.OnFailure.Destination).find((id) => template.Resources[id]?.Type === 'AWS::SQS::Queue');
      if (!onFailureQueueLogicalId) throw new UnsupportedResourceError(logicalId, r.Type, 'only an SQS queue of this template is delivered to as the on-failure destination');
    }
    configs.set(functionLogicalId, {
      functionLogicalId,
      retryAttempts: p.MaximumRetryAttempts === undefined ? DEFAULT_ASYNC_RETRIES : Number(p.MaximumRetryAttempts),
      ...(onFailureQueueLogicalId ? { onFailureQueueLogicalId } : {}),
    });
  }
  return configs;
}

/** What Lambda puts on an on-failure destination: the event, the function, how often it tried, and the error. */
export function invocationRecord(functionArn: string, event: unknown, error: WorkerError, attempts: number, at: Date): Record<string, unknown> {
  return {
    version: '1.0',
    timestamp: at.toISOString(),
    requestContext: { requestId: randomUUID(), functionArn: `${functionArn}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: attempts },
    requestPayload: event,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: error.errorType, errorMessage: error.errorMessage, trace: error.trace },
  };
}
