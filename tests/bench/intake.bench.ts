/**
 * Intake throughput and latency through the real handler against the embedded emulators, beside
 * the same number of bare PutItem + SendMessage calls (the ceiling those emulators allow) in the
 * same run, in alternating slices so both meet the same load, and the AWS calls one new delivery
 * makes. Beside each rate, this process's CPU per delivery (user + system; fauxqs runs in it,
 * DynamoDB Local does not), which moves far less with the machine's load than the rates.
 *
 *   npm run bench -- intake            (BENCH_N deliveries per level, default 1000)
 *
 * Bundle sizes and cold imports are `npm run bench -- bundles`.
 */
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { emulatorEnvironment } from '#infra/local/emulators';
import { ENV } from '#lib/config';
import { signDelivery } from '#lib/webhooks/standard-webhooks';
import { apiGatewayEvent, readEvent, TEST_WEBHOOK_SECRET } from '#tests/support/webhook';
import { lambdaContext } from '#tests/support/lambda-context';
import { startEmulatorStack } from './emulator-stack';
import { BenchRecorder } from './results';
import { percentile, runPool } from './stats';

const N = Number(process.env.BENCH_N ?? 1000);
const LEVELS = [1, 32];
const recorder = new BenchRecorder('intake');

/** Counts the calls an SDK client sends, by command name. */
function countCalls(client: { middlewareStack: { add: (m: never, o: never) => void } }, into: Map<string, number>): void {
  const middleware = (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
    into.set(context.commandName ?? '?', (into.get(context.commandName ?? '?') ?? 0) + 1);
    return next(args);
  };
  client.middlewareStack.add(middleware as never, { step: 'initialize', name: 'countCalls' } as never);
}

type Task = (i: number) => Promise<void>;
const SLICES = 4;

/**
 * Runs `count` of each task at `concurrency` in alternating slices (handler, bare, bare, handler, …),
 * so that on a shared machine both meet the same load: one after the other, a spike of load in either's
 * few seconds moved the ratio by half. Each side's rate is its deliveries over its own time; its CPU is
 * this process's (user + system) while it ran.
 */
async function sideBySide(count: number, concurrency: number, tasks: Record<'handler' | 'bare', Task>) {
  const sides = { handler: { done: 0, latencies: [] as number[], wallMs: 0, cpuUs: 0 }, bare: { done: 0, latencies: [] as number[], wallMs: 0, cpuUs: 0 } };
  const sliceSize = Math.ceil(count / SLICES);
  for (let slice = 0; slice < 2 * SLICES; slice++) {
    const name = slice % 4 === 0 || slice % 4 === 3 ? 'handler' : 'bare';
    const side = sides[name];
    const from = side.done;
    const size = Math.min(sliceSize, count - from);
    const cpu = process.cpuUsage();
    const run = await runPool(size, concurrency, (i) => tasks[name](from + i));
    const used = process.cpuUsage(cpu);
    side.latencies.push(...run.latencies);
    side.wallMs += run.wallMs;
    side.cpuUs += used.user + used.system;
    side.done += size;
  }
  const result = (side: (typeof sides)['handler']) => ({
    latencies: side.latencies.sort((a, b) => a - b),
    perSecond: (side.done / side.wallMs) * 1000,
    cpuMsEach: side.cpuUs / 1000 / side.done,
  });
  return { through: result(sides.handler), bare: result(sides.bare) };
}

const stack = await startEmulatorStack();
try {
  const { clients } = stack;
  const resources = await stack.provision('bench');
  const referralsTable = resources.ReferralsTable!.name;
  const queueUrl = resources.MatchingQueue!.url!;
  Object.assign(process.env, {
    ...emulatorEnvironment(stack.endpoints),
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

  const bareDelivery = async (id: string) => {
    await db.send(new PutCommand({ TableName: referralsTable, Item: { pk: `BARE#${id}`, sk: 'CURRENT', record: template.data } }));
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ referralId: `BARE-${id}`, version: 1, event: 'referral.created' }) }));
  };

  // Warm the handler, the bare calls and the emulators' JIT alike before measuring: 50 of each.
  for (const event of deliveries(0).slice(0, 50)) await handler(event, lambdaContext());
  for (let i = 0; i < 50; i++) await bareDelivery(`warm-${i}`);

  // The calls one new delivery makes, counted on the bench's own clients driving the same intake.
  const calls = new Map<string, number>();
  countCalls(clients.dynamodb as never, calls);
  countCalls(clients.sqs as never, calls);
  const { ReferralIntake } = await import('#lib/referrals/intake');
  const { DynamoIntakeStore } = await import('#lib/referrals/dynamo-intake-store');
  const { SqsMatchingPublisher } = await import('#lib/matching/sqs-matching-publisher');
  const { ReferralEvent } = await import('#lib/referrals/schema');
  // wall clock: the bench times the real handler, whose webhook signatures are checked against real time
  const { systemClock } = await import('#lib/clock');
  const counted = new ReferralIntake(
    new DynamoIntakeStore(DynamoDBDocumentClient.from(clients.dynamodb), { referrals: referralsTable, idempotency: resources.IdempotencyTable!.name }),
    new SqsMatchingPublisher(clients.sqs, queueUrl),
    systemClock,
  );
  await counted.accept({ webhookId: 'msg_bench_calls', bodySha256: '0'.repeat(64), event: ReferralEvent.parse({ ...template, data: { ...template.data, referralId: 'BENCH-CALLS' } }) });
  const perDelivery = [...calls].map(([name, n]) => `${name.replace(/Command$/, '')}${n > 1 ? ` ×${n}` : ''}`).join(', ');
  const callCount = [...calls.values()].reduce((a, b) => a + b, 0);

  const rows = [];
  for (const level of LEVELS) {
    const events = deliveries(level);
    const { through, bare } = await sideBySide(N, level, {
      handler: async (i) => {
        const response = await handler(events[i]!, lambdaContext());
        if (response.statusCode !== 202) throw new Error(`delivery ${i} answered ${response.statusCode}`);
      },
      bare: (i) => bareDelivery(`${level}-${i}`),
    });
    const ratio = through.perSecond / bare.perSecond;
    rows.push({
      concurrency: level,
      'handler /s': through.perSecond.toFixed(0),
      'handler p50 ms': percentile(through.latencies, 50).toFixed(2),
      'handler p99 ms': percentile(through.latencies, 99).toFixed(2),
      'handler CPU ms': through.cpuMsEach.toFixed(2),
      'bare Put+Send /s': bare.perSecond.toFixed(0),
      'bare p50 ms': percentile(bare.latencies, 50).toFixed(2),
      'bare p99 ms': percentile(bare.latencies, 99).toFixed(2),
      'bare CPU ms': bare.cpuMsEach.toFixed(2),
      'handler / bare': ratio.toFixed(2),
    });
    recorder.measure({
      measure: `intake CPU per delivery at concurrency ${level} (this process)`,
      figure: Number(through.cpuMsEach.toFixed(3)),
      unit: 'ms',
      note: `bare PutItem + SendMessage ${bare.cpuMsEach.toFixed(3)} ms; user + system, fauxqs included, DynamoDB Local not`,
    });
    recorder.measure({
      measure: `intake at concurrency ${level} vs bare PutItem + SendMessage`,
      figure: Number(ratio.toFixed(3)),
      unit: '×',
      ...(level === 32 ? { goal: { op: '>=' as const, value: 0.5 } } : {}),
      note: `${through.perSecond.toFixed(0)} vs ${bare.perSecond.toFixed(0)} deliveries/s`,
    });
  }
  recorder.table(`Intake: ${N} deliveries per level; each new delivery makes ${callCount} calls (${perDelivery}) against the bare 2`, rows);
  recorder.measure({ measure: 'intake AWS calls per new delivery', figure: callCount, unit: 'calls', note: perDelivery });
  recorder.write();
} finally {
  await stack.stop();
}
