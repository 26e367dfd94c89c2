/**
 * Operations in the template (issue 11 item 10): an Errors and a Throttles alarm per function,
 * reserved concurrency per function, the API's 5XX and latency alarms, the webhook throttled apart
 * from /api, the schedules' failed events on a queue with an alarm, and alarmEmail required to deploy.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildStack, DeploymentContextError } from '#infra/synth';
import { arnOf, actionsOn, keyArn, resource, resources, resourcesOfType, type Json } from './support';

const functionIds = resourcesOfType('AWS::Lambda::Function').map(([id]) => id);

/** The alarm (logical id, properties) whose metric is `metricName` of `functionId`. */
function functionAlarms(functionId: string): Record<string, Json> {
  return Object.fromEntries(
    resourcesOfType('AWS::CloudWatch::Alarm')
      .filter(([, a]) => a.Properties.Namespace === 'AWS/Lambda' && a.Properties.Dimensions?.[0]?.Value?.Ref === functionId)
      .map(([id, a]) => [a.Properties.MetricName as string, { id, ...a.Properties }]),
  );
}

const notifiesOps = { AlarmActions: [{ Ref: 'AlarmTopic' }], OKActions: [{ Ref: 'AlarmTopic' }] };

describe('function alarms', () => {
  it.each(functionIds)('%s has an Errors and a Throttles alarm to the ops topic, each on the first in five minutes', (functionId) => {
    const alarms = functionAlarms(functionId);
    for (const [metric, id] of [['Errors', `${functionId}ErrorsAlarm`], ['Throttles', `${functionId}ThrottlesAlarm`]] as const) {
      expect(alarms[metric]).toMatchObject({
        id,
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId } }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        ...notifiesOps,
      });
      expect(alarms[metric]!.AlarmDescription).toContain(functionId);
    }
  });
});

describe('reserved concurrency', () => {
  // Why each: see the comment where it is set (infra/areas/) and docs/deploying.md.
  const chosen: Record<string, number> = {
    IntakeFunction: 10,
    ApiFunction: 25,
    MatcherFunction: 4,
    LedgerPosterFunction: 2,
    VoidBedMonitorFunction: 3,
    InvoicingRunFunction: 1,
    InvoiceBuilderFunction: 2,
    ConsoleFunction: 10,
    DeliverySenderFunction: 4,
    DeliveryEventsFunction: 2,
    PaymentRemindersFunction: 1,
    NotificationOutboxFunction: 1,
  };

  it('is reserved for every function, as chosen, 65 in all', () => {
    const reserved = Object.fromEntries(functionIds.map((id) => [id, resource(id).Properties.ReservedConcurrentExecutions]));
    expect(reserved).toEqual(chosen);
    expect(Object.values(reserved).reduce((a: number, b: number) => a + b, 0)).toBe(65);
  });

  it('bounds each queue consumer’s batches in flight by it, so the poller never invokes into throttling', () => {
    const mappings = resourcesOfType('AWS::Lambda::EventSourceMapping');
    expect(mappings.length).toBeGreaterThan(0);
    for (const [id, m] of mappings) {
      const functionId = m.Properties.FunctionName.Ref as string;
      const max = m.Properties.ScalingConfig?.MaximumConcurrency as number;
      expect(max, id).toBeGreaterThanOrEqual(2);
      expect(max, id).toBeLessThanOrEqual(resource(functionId).Properties.ReservedConcurrentExecutions);
    }
    // The void-bed monitor keeps one of its three for the daily run.
    expect(resource('VoidBedMonitorFunctionFromVoidBedChecksQueue').Properties.ScalingConfig).toEqual({ MaximumConcurrency: 2 });
  });
});

describe('API alarms', () => {
  /** What both alarms share: a five-minute metric of the API's stage, notifying operations. */
  const onTheStage = {
    Namespace: 'AWS/ApiGateway',
    Dimensions: [
      { Name: 'ApiName', Value: resource('Api').Properties.Name },
      { Name: 'Stage', Value: { Ref: resourcesOfType('AWS::ApiGateway::Stage')[0]![0] } },
    ],
    Period: 300,
    ...notifiesOps,
  };

  it('alarms on five 5XX answers in five minutes on the stage', () => {
    expect(resource('ApiServerErrorsAlarm').Properties).toMatchObject({
      ...onTheStage,
      MetricName: '5XXError',
      Statistic: 'Sum',
      Threshold: 5,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms when the 95th-percentile latency stays at 3 s or more for 15 minutes', () => {
    expect(resource('ApiLatencyAlarm').Properties).toMatchObject({ ...onTheStage, MetricName: 'Latency', ExtendedStatistic: 'p95', Threshold: 3000, EvaluationPeriods: 3 });
  });
});

describe('throttling', () => {
  const [[, stage]] = resourcesOfType('AWS::ApiGateway::Stage') as [[string, Json]];
  const setting = (path: string, method: string) =>
    (stage.Properties.MethodSettings as Json[]).find((s) => s.ResourcePath === path && s.HttpMethod === method);

  it('holds the webhook to its own limit, apart from /api, logging as the stage does', () => {
    expect(setting('/~1webhooks~1referrals', 'POST')).toEqual({
      ResourcePath: '/~1webhooks~1referrals',
      HttpMethod: 'POST',
      ThrottlingRateLimit: 10,
      ThrottlingBurstLimit: 20,
      LoggingLevel: 'ERROR',
      DataTraceEnabled: false,
      MetricsEnabled: true,
    });
  });

  it('gives each /api method its own limit, and every other method the stage default', () => {
    for (const method of ['GET', 'PUT', 'POST']) {
      expect(setting('/~1api~1{proxy+}', method)).toMatchObject({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100, LoggingLevel: 'ERROR', DataTraceEnabled: false });
    }
    expect(setting('/*', '*')).toMatchObject({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
    expect(stage.Properties.MethodSettings).toHaveLength(5);
  });

  it('answers a throttled request 429 problem+json with Retry-After', () => {
    const [[, throttled]] = resourcesOfType('AWS::ApiGateway::GatewayResponse').filter(([, r]) => r.Properties.ResponseType === 'THROTTLED') as [[string, Json]];
    expect(throttled.Properties).toMatchObject({ StatusCode: '429', ResponseParameters: { 'gatewayresponse.header.Retry-After': "'1'" } });
    expect(JSON.parse(throttled.Properties.ResponseTemplates['application/json'])).toMatchObject({ status: 429, type: 'https://cared-for.dev/problems/too-many-requests' });
  });
});

describe('failed scheduled runs', () => {
  const schedules = [
    { rule: 'InvoicingRunSchedule', functionId: 'InvoicingRunFunction' },
    { rule: 'VoidBedMonitorSchedule', functionId: 'VoidBedMonitorFunction' },
    { rule: 'PaymentRemindersSchedule', functionId: 'PaymentRemindersFunction' },
    { rule: 'NotificationOutboxSchedule', functionId: 'NotificationOutboxFunction' },
  ];

  it('covers every schedule', () => {
    expect(resourcesOfType('AWS::Events::Rule').map(([id]) => id).sort()).toEqual(schedules.map((s) => s.rule).sort());
  });

  it.each(schedules)('$functionId: retried twice within an hour, then its event on $rule FailedEvents (CMK, TLS only, kept 14 days)', ({ rule, functionId }) => {
    const queueId = `${rule}FailedEvents`;
    expect(resource(`${functionId}AsyncInvoke`)).toMatchObject({
      Type: 'AWS::Lambda::EventInvokeConfig',
      Properties: {
        FunctionName: { Ref: functionId },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: { OnFailure: { Destination: arnOf(queueId) } },
      },
    });
    expect(resource(queueId).Properties).toEqual({ KmsMasterKeyId: keyArn, MessageRetentionPeriod: 1_209_600 });
    const [, policy] = resourcesOfType('AWS::SQS::QueuePolicy').find(([, p]) => p.Properties.Queues[0].Ref === queueId) ?? [];
    expect(policy?.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    // Lambda sends to the destination as the function's role.
    expect(actionsOn(functionId, arnOf(queueId))).toEqual(['sqs:SendMessage']);
    expect(actionsOn(functionId, keyArn)).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });

  it.each(schedules)('$rule: an alarm to the ops topic as soon as one event has failed', ({ rule }) => {
    expect(resource(`${rule}FailedEventsAlarm`).Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [`${rule}FailedEvents`, 'QueueName'] } }],
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      ...notifiesOps,
    });
  });

  it('tells finance what to do when the monthly run has failed', () => {
    expect(resource('InvoicingRunScheduleFailedEventsAlarm').Properties.AlarmDescription).toContain('POST /api/invoicing/runs');
  });
});

describe('every alarm', () => {
  it('notifies the ops topic, and there is nothing else an alarm watches but functions, queues and the API', () => {
    const alarms = resourcesOfType('AWS::CloudWatch::Alarm');
    // 12 functions × 2, 6 work-queue DLQs, 4 failed-events queues, the API's 2.
    expect(alarms).toHaveLength(36);
    for (const [id, a] of alarms) {
      expect(a.Properties.AlarmActions, id).toEqual([{ Ref: 'AlarmTopic' }]);
      expect(['AWS/Lambda', 'AWS/SQS', 'AWS/ApiGateway'], id).toContain(a.Properties.Namespace);
    }
  });
});

describe('alarmEmail for a deployment', () => {
  it('refuses to synthesize a deployment without it, saying what to pass', () => {
    expect(() => buildStack({ bundle: false, forDeployment: true })).toThrow(DeploymentContextError);
    expect(() => buildStack({ bundle: false, forDeployment: true })).toThrow(/-c alarmEmail=.*-c local=true/s);
  });

  it('synthesizes with it (subscribed to the ops topic), or with -c local=true', () => {
    const { stack } = buildStack({ bundle: false, forDeployment: true, context: { alarmEmail: 'ops@council.example' } });
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@council.example', TopicArn: { Ref: 'AlarmTopic' } });
    expect(() => buildStack({ bundle: false, forDeployment: true, context: { local: 'true' } })).not.toThrow();
  });

  it('is not asked of the tests, benches and the local runner, which build the stack directly', () => {
    expect(resources.AlarmTopic).toBeDefined();
    expect(() => buildStack({ bundle: false })).not.toThrow();
  });
});
