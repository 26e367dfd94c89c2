/**
 * A scheduled run that fails, on the local stack: its event goes to the schedule's failed-events
 * queue (Lambda's on-failure destination, AWS::Lambda::EventInvokeConfig), inside Lambda's
 * invocation record with the error, where the alarm in AWS watches and a person can replay it.
 * The stack is a small one of the project's own constructs (FunctionSchedule, CaredForFunction).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { App, Stack } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlarmTopic } from '#infra/constructs/alarm-topic';
import { CaredForFunction } from '#infra/constructs/cared-for-function';
import { EncryptionKey } from '#infra/constructs/encryption-key';
import { FunctionSchedule } from '#infra/constructs/function-schedule';
import { startLocalStack, type LocalStack } from '#infra/local/runner';
import { emulatorClients } from '#tests/support/emulators';
import { testDir } from '#tests/support/test-dir';
import { ownAppStackOptions } from './support';

const dir = testDir('failed-schedule');
let stack: LocalStack;
const logs: string[] = [];

beforeAll(async () => {
  // Synthesized as the local runner synthesizes: without CDK's CloudFormation validation (infra/synth.ts).
  const app = new App({ outdir: join(dir, 'cdk.out'), builtinCloudFormationValidation: false });
  const cdkStack = new Stack(app, 'FailingRun');
  const { key } = new EncryptionKey(cdkStack, 'EncryptionKey');
  const alarms = new AlarmTopic(cdkStack, 'AlarmTopic', { encryptionKey: key });
  const failing = new CaredForFunction(cdkStack, 'FailingRunFunction', {
    entry: fileURLToPath(new URL('./fixtures/failing-run.ts', import.meta.url)),
    serviceName: 'failing-run',
    reservedConcurrentExecutions: 1,
    alarmTopic: alarms.topic,
  });
  new FunctionSchedule(cdkStack, 'FailingRunSchedule', {
    expression: 'cron(0 3 * * ? *)',
    description: 'A nightly run that always fails',
    target: failing,
    encryptionKey: key,
    alarmTopic: alarms.topic,
    whenItFails: 'Nothing to do: it is a test.',
  });
  app.synth();
  stack = await startLocalStack({
    ...ownAppStackOptions('failing', dir),
    schedules: false,
    log: (source, line) => logs.push(`[${source}] ${line}`),
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('a scheduled run that fails', () => {
  it('puts its event, with the error, on the schedule’s failed-events queue', async () => {
    // Act
    const firing = await stack.fireSchedule('FailingRunSchedule', new Date('2026-06-01T03:00:00Z'));

    // Assess
    expect(firing.targets).toEqual([expect.objectContaining({ kind: 'lambda', ok: false, failedEventsQueue: 'FailingRunScheduleFailedEvents' })]);
    const queue = stack.info.queues.FailingRunScheduleFailedEvents!;
    const { Messages } = await emulatorClients().sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    expect(Messages).toHaveLength(1);
    const record = JSON.parse(Messages![0]!.Body!);
    expect(record).toMatchObject({
      version: '1.0',
      requestContext: { functionArn: expect.stringMatching(/:function:.*FailingRunFunction.*:\$LATEST$/), condition: 'RetriesExhausted', approximateInvokeCount: 1 },
      requestPayload: { 'detail-type': 'Scheduled Event', source: 'aws.events', time: '2026-06-01T03:00:00Z' },
      responseContext: { functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'the run for 2026-06-01T03:00:00Z failed on purpose' },
    });
    expect(logs.some((line) => line.includes('its event is on FailingRunScheduleFailedEvents'))).toBe(true);
  });
});
