/**
 * Intake throughput and latency through the real handler against the embedded
 * emulators, beside the same number of bare PutItem + SendMessage calls (the
 * ceiling those emulators allow), and each function bundle's size and cold
 * import time.
 *
 *   npm run bench -- intake            (BENCH_N deliveries per level, default 1000)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { dynamoClient, snsClient, sqsClient, startEmulators, REGION } from '#infra/local/emulators';
import { provisionTemplate } from '#infra/local/provision';
import { buildStack, synthesizeTemplate } from '#infra/synth';
import { ENV } from '#lib/config';
import { signDelivery } from '#lib/webhooks/standard-webhooks';
import { apiGatewayEvent, readEvent, TEST_WEBHOOK_SECRET } from '#tests/support/webhook';
import { lambdaContext } from '#tests/support/lambda-context';
import { median, percentile, runPool, table } from './stats';

const N = Number(process.env.BENCH_N ?? 1000);
const LEVELS = [1, 32];

const emulators = await startEmulators();
try {
  const { endpoints } = emulators;
  const clients = { dynamodb: dynamoClient(endpoints.dynamodb), sqs: sqsClient(endpoints.sqs), sns: snsClient(endpoints.sns) };
  const { resources } = await provisionTemplate(synthesizeTemplate({ bundle: false }), clients, { prefix: 'bench' });
  const referralsTable = resources.ReferralsTable!.name;
  const queueUrl = resources.MatchingQueue!.url!;
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    [ENV.referralsTable]: referralsTable,
    [ENV.idempotencyTable]: resources.IdempotencyTable!.name,
    [ENV.matchingQueueUrl]: queueUrl,
    [ENV.webhookSecrets]: TEST_WEBHOOK_SECRET,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  const { handler } = await import('#functions/intake/handler');
  const db = DynamoDBDocumentClient.from(clients.dynamodb);
  const template = JSON.parse(readEvent('referrals/created.json'));

  const deliveries = (level: number) =>
    Array.from({ length: N }, (_, i) => {
      const body = JSON.stringify({ ...template, data: { ...template.data, referralId: `BENCH-${level}-${i}` } });
      const headers = signDelivery(TEST_WEBHOOK_SECRET, `msg_bench_${level}_${i}`, Math.floor(Date.now() / 1000), body);
      return apiGatewayEvent(headers, body);
    });

  // Warm the handler and the emulators' JIT before measuring.
  for (const event of deliveries(0).slice(0, 50)) await handler(event, lambdaContext());

  const rows = [];
  for (const level of LEVELS) {
    const events = deliveries(level);
    const through = await runPool(N, level, async (i) => {
      const response = await handler(events[i]!, lambdaContext());
      if (response.statusCode !== 202) throw new Error(`delivery ${i} answered ${response.statusCode}`);
    });
    const bare = await runPool(N, level, async (i) => {
      await db.send(new PutCommand({ TableName: referralsTable, Item: { pk: `BARE#${level}-${i}`, sk: 'CURRENT', record: template.data } }));
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ referralId: `BARE-${i}`, version: 1, event: 'referral.created' }) }));
    });
    rows.push({
      concurrency: level,
      'handler /s': through.perSecond.toFixed(0),
      'handler p50 ms': percentile(through.latencies, 50).toFixed(2),
      'handler p99 ms': percentile(through.latencies, 99).toFixed(2),
      'bare Put+Send /s': bare.perSecond.toFixed(0),
      'bare p50 ms': percentile(bare.latencies, 50).toFixed(2),
      'bare p99 ms': percentile(bare.latencies, 99).toFixed(2),
      'handler / bare': (through.perSecond / bare.perSecond).toFixed(2),
    });
  }
  console.log(`\nIntake: ${N} deliveries per level (each: 2 consistent GetItems, a 3-item TransactWriteItems, SendMessage, UpdateItem)`);
  table(rows);
} finally {
  await emulators.stop();
}

// Bundles: synthesize with esbuild bundling, then time a cold import of each bundle in a fresh Node.
const { app, stack } = buildStack({ bundle: true });
const assembly = app.synth();
type LambdaResource = { Type: string; Properties: { Code?: { S3Key?: string } } };
const functions = Object.entries(assembly.getStackArtifact(stack.artifactId).template.Resources as Record<string, LambdaResource>)
  .filter(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties.Code?.S3Key);
const bundleRows = [];
for (const [logicalId, resource] of functions) {
  // Each function's asset is staged as asset.<hash>/ beside the template; its S3 key is <hash>.zip.
  const file = join(assembly.directory, `asset.${resource.Properties.Code!.S3Key!.replace(/\.zip$/, '')}`, 'index.mjs');
  const importMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const out = execFileSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e',
      `const t=performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now()-t)`], {
      env: { ...process.env, [ENV.referralsTable]: 't', [ENV.idempotencyTable]: 't', [ENV.matchingQueueUrl]: 'http://127.0.0.1:1/q', [ENV.webhookSecrets]: TEST_WEBHOOK_SECRET, [ENV.estateTable]: 't', [ENV.placementsTable]: 't' },
    });
    importMs.push(Number(out.toString().trim()));
  }
  bundleRows.push({
    function: logicalId,
    'bundle bytes': statSync(file).size,
    'source map bytes': statSync(`${file}.map`).size,
    'cold import ms (median of 5)': median(importMs).toFixed(1),
    esm: readFileSync(file, 'utf8').includes('import.meta.url') ? 'yes' : 'no',
  });
}
console.log('\nFunction bundles (esbuild, minified ESM, SDK inside)');
table(bundleRows);
