import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { DockerImage, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FUNCTION_BUNDLING, LAZY_MODULES, PREBUNDLED_CODE_CONTEXT, quotedSpecifier } from '#infra/function-bundling';
import type { DataTable } from './data-table';
import type { QueueWithDeadLetter } from './queue-with-dead-letter';
import { operationsAlarm } from './operations-alarm';
import { useReadableLogicalId } from './readable-logical-id';

/** The DynamoDB actions a function may be granted: named one by one, never a wildcard. */
export type DynamoDbAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:Query'
  | 'dynamodb:Scan'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:BatchWriteItem'
  | 'dynamodb:ConditionCheckItem';

/** Actions that make sense on an index: items are only read through one. */
const INDEX_ACTIONS: ReadonlySet<DynamoDbAction> = new Set(['dynamodb:Query', 'dynamodb:Scan']);

/** What it takes to use the customer-managed key for both reading and writing. */
const KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'];


export interface CaredForFunctionProps {
  /** Absolute path of the handler's TypeScript file, e.g. `functions/intake/handler.ts`. */
  readonly entry: string;
  /** Name of the exported handler. @default 'handler' */
  readonly handler?: string;
  /** The service name in structured logs and metrics (`POWERTOOLS_SERVICE_NAME`). */
  readonly serviceName: string;
  /** What the function does, shown in the Lambda console. @default - none */
  readonly description?: string;
  /** Maximum run time of one invocation. @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** Memory in MB; CPU scales with it. @default 512 */
  readonly memorySize?: number;
  /**
   * Concurrency reserved for (and capping) this function: it never waits for others' invocations,
   * and a flood of its own cannot take the account's pool from them. Say why where it is chosen;
   * the stack's total must leave the account's unreserved minimum of 100 (docs/deploying.md).
   */
  readonly reservedConcurrentExecutions: number;
  /** The operations topic its Errors and Throttles alarms notify. */
  readonly alarmTopic: sns.ITopic;
  /** How long the function's logs are kept. @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Files copied beside the bundle (absolute source path → path inside the asset), for what the
   * function reads at run time rather than imports (the console's stylesheets and scripts).
   * @default - none
   */
  readonly bundledFiles?: Readonly<Record<string, string>>;
}

export interface UseTableOptions {
  /** Global secondary indexes the function queries; granted only the actions that apply to indexes. @default - none */
  readonly indexes?: readonly string[];
}

export interface ConsumeOptions {
  /** Most messages handed to one invocation. @default 10 */
  readonly batchSize?: number;
  /** How long to gather a fuller batch before invoking. @default - none: invoke as soon as messages arrive */
  readonly maxBatchingWindow?: Duration;
  /**
   * Most batches in flight at once (2 or more): at most the reserved concurrency, so the poller never
   * invokes into throttling (a throttled batch would count a receive towards the dead-letter queue).
   * @default - the reserved concurrency
   */
  readonly maxConcurrency?: number;
}

export interface AsyncFailureOptions {
  /** Retries after a failed asynchronous invocation (0–2). @default 2 */
  readonly retryAttempts?: number;
  /** How long Lambda keeps trying an event (while throttled, or between retries). @default Duration.hours(1) */
  readonly maxEventAge?: Duration;
}

/** Where a function's failed asynchronous invocations go: a queue, and the key it is encrypted with. */
export interface FailureDestinationQueue {
  readonly queue: sqs.IQueue;
  readonly encryptionKey: kms.IKey;
}

/**
 * NodejsFunction's commands once esbuild has run: the lazy modules the bundle imports, bundled beside it
 * (infra/lazy-modules.ts, started only for a bundle that imports one), then the files it carries.
 */
function afterBundlingHooks(files: Readonly<Record<string, string>> = {}): nodejs.ICommandHooks {
  const quote = (path: string) => `'${path.replace(/'/g, "'\\''")}'`;
  const lazyModules = Object.keys(LAZY_MODULES).map((specifier) => `-e ${quote(quotedSpecifier(specifier))}`);
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir, outputDir) => [
      ...(lazyModules.length > 0
        ? [`if grep -qF ${lazyModules.join(' ')} ${quote(`${outputDir}/index.mjs`)}; then node --import tsx infra/lazy-modules.ts ${quote(outputDir)}; fi`]
        : []),
      ...Object.entries(files).flatMap(([source, target]) => {
        const destination = `${outputDir}/${target}`;
        return [`mkdir -p ${quote(destination.slice(0, destination.lastIndexOf('/')))}`, `cp ${quote(source)} ${quote(destination)}`];
      }),
    ],
  };
}

/**
 * The function's bundle prebuilt by the local runner or the tests (PREBUNDLED_CODE_CONTEXT), with the
 * files it carries beside it copied in as NodejsFunction's hooks copy them; undefined when the
 * context names none for its entry, and the function is bundled as for a deployment.
 */
function prebundledCode(scope: Construct, props: CaredForFunctionProps): lambda.Code | undefined {
  const named: unknown = scope.node.tryGetContext(PREBUNDLED_CODE_CONTEXT);
  const dir = typeof named === 'string' ? (JSON.parse(named) as Record<string, string>)[props.entry] : undefined;
  if (!dir) return undefined;
  const files = props.bundledFiles;
  if (!files) return lambda.Code.fromAsset(dir);
  return lambda.Code.fromAsset(dir, {
    bundling: {
      image: DockerImage.fromRegistry('unused-local-copy'),
      local: {
        tryBundle(outputDir) {
          cpSync(dir, outputDir, { recursive: true });
          for (const [source, target] of Object.entries(files)) cpSync(source, join(outputDir, target));
          return true;
        },
      },
    },
  });
}

/**
 * A Node.js 24 Lambda function with the platform's defaults fixed in one place:
 * arm64, a minified ESM bundle with source maps built by local esbuild (no
 * Docker) with the AWS SDK inside, its own log group, and its own role that can
 * do nothing but write to that log group until a helper grants more.
 *
 * Each helper grants exact IAM actions on one resource and sets the
 * environment variable that names it, so a function's permissions and its
 * configuration cannot drift apart.
 *
 * Every function has reserved concurrency and two alarms to the operations topic:
 * `<id>ErrorsAlarm` (an invocation failed) and `<id>ThrottlesAlarm` (one was
 * refused for want of concurrency).
 */
export class CaredForFunction extends Construct {
  /** The Lambda function. */
  public readonly function: nodejs.NodejsFunction;
  /** The function's execution role, owned by this function alone. */
  public readonly role: iam.Role;
  /** Where the function's logs go. */
  public readonly logGroup: logs.LogGroup;
  /** The function's timeout. */
  public readonly timeout: Duration;
  /** Concurrency reserved for the function. */
  public readonly reservedConcurrency: number;
  /** Fires on the first failed invocation in five minutes. */
  public readonly errorsAlarm: cloudwatch.Alarm;
  /** Fires on the first throttled invocation in five minutes. */
  public readonly throttlesAlarm: cloudwatch.Alarm;

  private readonly environmentNames = new Set<string>();
  private readonly keysInUse = new Set<kms.IKey>();

  constructor(scope: Construct, id: string, props: CaredForFunctionProps) {
    super(scope, id);
    this.timeout = props.timeout ?? Duration.seconds(10);
    if (!Number.isInteger(props.reservedConcurrentExecutions) || props.reservedConcurrentExecutions < 1) {
      throw new Error(`${this.node.path}: reservedConcurrentExecutions must be a whole number of at least 1`);
    }
    this.reservedConcurrency = props.reservedConcurrentExecutions;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = this.createRole(id);
    const prebundled = prebundledCode(this, props);
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.entry,
      // Prebuilt code is named as NodejsFunction names its own bundle's handler: index.<export>.
      ...(prebundled ? { code: prebundled, handler: `index.${props.handler ?? 'handler'}` } : { handler: props.handler ?? 'handler' }),
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: this.timeout,
      reservedConcurrentExecutions: this.reservedConcurrency,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: 'CaredFor',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: FUNCTION_BUNDLING.target,
        minify: FUNCTION_BUNDLING.minify,
        sourceMap: FUNCTION_BUNDLING.sourcemap,
        sourcesContent: FUNCTION_BUNDLING.sourcesContent,
        charset: FUNCTION_BUNDLING.charset as nodejs.Charset,
        mainFields: [...FUNCTION_BUNDLING.mainFields],
        banner: FUNCTION_BUNDLING.banner,
        externalModules: [...FUNCTION_BUNDLING.external],
        // Run from the project's root (NodejsFunction's working directory for its hooks).
        commandHooks: afterBundlingHooks(props.bundledFiles),
      },
    });
    useReadableLogicalId(this.function, id);
    this.errorsAlarm = this.alarmOn(
      'Errors',
      this.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      `${id} failed an invocation: an unhandled error, a timeout or a crash (refusals the handler answers are not errors). ` +
        "Find the ERROR lines in the function's log group; a queue's message is retried, a schedule's event too (then its failed-events queue).",
      props.alarmTopic,
    );
    this.throttlesAlarm = this.alarmOn(
      'Throttles',
      this.function.metricThrottles({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      `${id} was throttled: more invocations at once than its ${this.reservedConcurrency} reserved. API callers got an error, ` +
        'queued messages and scheduled events are retried. If it lasts, find the flood in the access logs, or raise its ' +
        'reservedConcurrentExecutions (infra/areas/) within the account limit (docs/deploying.md).',
      props.alarmTopic,
    );
  }

  /**
   * Lets the function use a table with exactly `actions`, and puts the table's
   * name in `environmentName`.
   */
  public useTable(
    table: DataTable,
    environmentName: string,
    actions: readonly DynamoDbAction[],
    options: UseTableOptions = {},
  ): this {
    this.allow([...actions], [table.table.tableArn]);
    const indexes = options.indexes ?? [];
    if (indexes.length > 0) {
      this.allow(this.indexActions(table, actions), this.indexArns(table, indexes));
    }
    this.useKey(table.encryptionKey);
    this.setEnvironment(environmentName, table.table.tableName);
    return this;
  }

  /** Lets the function send messages to a queue, and puts the queue's URL in `environmentName`. */
  public sendTo(queue: QueueWithDeadLetter, environmentName: string): this {
    this.allow(['sqs:SendMessage'], [queue.queue.queueArn]);
    this.useKey(queue.encryptionKey);
    this.setEnvironment(environmentName, queue.queue.queueUrl);
    return this;
  }

  /**
   * Lets the function publish to a topic (and use the key it is encrypted
   * with), and puts the topic's ARN in `environmentName`.
   */
  public publishTo(topic: sns.ITopic, environmentName: string): this {
    this.allow(['sns:Publish'], [topic.topicArn]);
    if (topic.masterKey) this.useKey(topic.masterKey);
    this.setEnvironment(environmentName, topic.topicArn);
    return this;
  }

  /** Lets the function read a secret's value, and puts the secret's ARN in `environmentName`. */
  public readSecret(secret: secretsmanager.ISecret, environmentName: string): this {
    this.allow(['secretsmanager:GetSecretValue'], [secret.secretArn]);
    if (secret.encryptionKey) this.useKey(secret.encryptionKey);
    this.setEnvironment(environmentName, secret.secretArn);
    return this;
  }

  /** Sets plain settings (not resource names) in the function's environment. */
  public withEnvironment(values: Readonly<Record<string, string>>): this {
    for (const [name, value] of Object.entries(values)) this.setEnvironment(name, value);
    return this;
  }

  /**
   * Invokes the function with batches from a queue. The handler reports
   * partial batch failures, so one poison message is retried (and in the end
   * dead-lettered) alone instead of with its whole batch.
   */
  public consume(queue: QueueWithDeadLetter, options: ConsumeOptions = {}): this {
    if (queue.visibilityTimeout.toSeconds() < this.timeout.toSeconds()) {
      throw new Error(
        `${queue.node.path}: visibility timeout (${queue.visibilityTimeout.toSeconds()} s) is shorter than ` +
          `${this.node.path}'s timeout (${this.timeout.toSeconds()} s): ` +
          'a message would be delivered again while still being processed',
      );
    }
    this.allow(
      ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'],
      [queue.queue.queueArn],
    );
    this.useKey(queue.encryptionKey);
    const maxConcurrency = options.maxConcurrency ?? this.reservedConcurrency;
    if (maxConcurrency < 2 || maxConcurrency > this.reservedConcurrency) {
      throw new Error(
        `${this.node.path}: consuming ${queue.node.path} takes 2 to ${this.reservedConcurrency} (its reserved concurrency) ` +
          `batches at once, not ${maxConcurrency}`,
      );
    }
    const mapping = this.function.addEventSourceMapping('From' + queue.node.id, {
      eventSourceArn: queue.queue.queueArn,
      batchSize: options.batchSize ?? 10,
      maxBatchingWindow: options.maxBatchingWindow,
      maxConcurrency,
      reportBatchItemFailures: true,
    });
    // The mapping polls as the role, so it must not be created before the role may read the queue.
    mapping.node.addDependency(this.role);
    useReadableLogicalId(mapping, `${this.node.id}From${queue.node.id}`);
    return this;
  }

  /**
   * Sends the events of asynchronous invocations (schedules) that failed every retry to a queue, as
   * Lambda's on-failure destination: the function's role may send to it, and use its key.
   */
  public sendFailedEventsTo(destination: FailureDestinationQueue, options: AsyncFailureOptions = {}): this {
    this.allow(['sqs:SendMessage'], [destination.queue.queueArn]);
    this.useKey(destination.encryptionKey);
    // Bound by hand: SqsDestination grants through the queue, which adds wildcard KMS actions.
    const onFailure: lambda.IDestination = { bind: () => ({ destination: destination.queue.queueArn }) };
    const config = new lambda.EventInvokeConfig(this, 'AsyncInvoke', {
      function: this.function,
      onFailure,
      retryAttempts: options.retryAttempts ?? 2,
      maxEventAge: options.maxEventAge ?? Duration.hours(1),
    });
    // The role must be able to send before Lambda is told to.
    config.node.addDependency(this.role);
    useReadableLogicalId(config, `${this.node.id}AsyncInvoke`);
    return this;
  }

  private alarmOn(what: string, metric: cloudwatch.IMetric, description: string, topic: sns.ITopic): cloudwatch.Alarm {
    return operationsAlarm(this, `${what}Alarm`, { logicalId: `${this.node.id}${what}Alarm`, metric, description, topic });
  }

  private createRole(id: string): iam.Role {
    // Not AWSLambdaBasicExecutionRole: it may create and write to every log group in the account.
    return new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id}`,
      inlinePolicies: {
        WriteOwnLogs: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              resources: [this.logGroup.logGroupArn],
            }),
          ],
        }),
      },
    });
  }

  private indexActions(table: DataTable, actions: readonly DynamoDbAction[]): DynamoDbAction[] {
    const readsThroughIndex = actions.filter((action) => INDEX_ACTIONS.has(action));
    if (readsThroughIndex.length === 0) {
      throw new Error(`Index access to ${table.node.path} needs dynamodb:Query or dynamodb:Scan`);
    }
    return readsThroughIndex;
  }

  private indexArns(table: DataTable, indexes: readonly string[]): string[] {
    const unknown = indexes.filter((name) => !table.indexNames.includes(name));
    if (unknown.length > 0) {
      throw new Error(`${table.node.path} has no index named ${unknown.join(', ')}`);
    }
    return indexes.map((name) => `${table.table.tableArn}/index/${name}`);
  }

  private allow(actions: string[], resources: string[]): void {
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources }));
  }

  private useKey(key: kms.IKey): void {
    if (this.keysInUse.has(key)) return;
    this.keysInUse.add(key);
    this.allow(KEY_ACTIONS, [key.keyArn]);
  }

  private setEnvironment(name: string, value: string): void {
    if (this.environmentNames.has(name)) {
      throw new Error(`${this.node.path}: environment variable ${name} is already bound to another resource`);
    }
    this.environmentNames.add(name);
    this.function.addEnvironment(name, value);
  }
}
