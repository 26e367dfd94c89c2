import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildStack, synthesizeTemplate } from '#infra/synth';
import { PLACEHOLDER_IDENTITY_PROVIDER } from '#infra/stack';
import { ENV } from '#lib/config';

type Json = Record<string, any>;

const keyArn = { 'Fn::GetAtt': ['EncryptionKey', 'Arn'] };

let template: Template;
let resources: Json;

beforeAll(() => {
  // Prepare
  template = Template.fromJSON(synthesizeTemplate({ bundle: false }));
  resources = template.toJSON().Resources;
});

/** A resource by logical id, failing the test if it is missing. */
function resource(logicalId: string): Json {
  const found = resources[logicalId];
  if (!found) throw new Error(`No resource ${logicalId} in the template`);
  return found;
}

function resourcesOfType(type: string): [string, Json][] {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

/** Every statement granted to a role: its inline policies and the IAM policies attached to it. */
function statementsOf(roleLogicalId: string): Json[] {
  const inline = (resource(roleLogicalId).Properties.Policies ?? []).flatMap((p: Json) => p.PolicyDocument.Statement);
  const attached = resourcesOfType('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: Json) => r.Ref === roleLogicalId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
  return [...inline, ...attached];
}

function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

describe('encryption key', () => {
  it('is customer managed, rotated and retained', () => {
    // Assess
    expect(resource('EncryptionKey')).toMatchObject({
      Type: 'AWS::KMS::Key',
      Properties: { EnableKeyRotation: true },
      DeletionPolicy: 'Retain',
    });
  });
});

describe('data tables', () => {
  const protectedTable = {
    Type: 'AWS::DynamoDB::Table',
    Properties: {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn },
      DeletionProtectionEnabled: true,
    },
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
  };

  it('keeps referrals by pk/sk with the byStatus index, protected and encrypted with the CMK', () => {
    // Assess
    const table = resource('ReferralsTable');
    expect(table).toMatchObject(protectedTable);
    expect(table.Properties.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(table.Properties.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'byStatus',
        KeySchema: [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
    expect(table.Properties.AttributeDefinitions).toEqual(
      ['pk', 'sk', 'gsi1pk', 'gsi1sk'].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    );
  });

  it('keeps idempotency records by id and lets DynamoDB expire them', () => {
    // Assess
    const table = resource('IdempotencyTable');
    expect(table).toMatchObject(protectedTable);
    expect(table.Properties.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiration', Enabled: true });
  });
});

describe('matching queue', () => {
  it('is encrypted with the CMK and redrives to its DLQ after 5 receives', () => {
    // Assess
    expect(resource('MatchingQueue').Properties).toMatchObject({
      KmsMasterKeyId: keyArn,
      VisibilityTimeout: 120,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['MatchingQueueDlq', 'Arn'] }, maxReceiveCount: 5 },
    });
  });

  it('keeps dead letters 14 days, encrypted with the CMK', () => {
    // Assess
    expect(resource('MatchingQueueDlq').Properties).toEqual({ KmsMasterKeyId: keyArn, MessageRetentionPeriod: 1_209_600 });
  });

  it('refuses non-TLS access to both queues', () => {
    // Assess
    for (const queue of ['MatchingQueue', 'MatchingQueueDlq']) {
      const policy = resourcesOfType('AWS::SQS::QueuePolicy').find(([, p]) =>
        p.Properties.Queues.some((q: Json) => q.Ref === queue),
      );
      expect(policy?.[1].Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('alarms the ops topic as soon as one message is dead-lettered', () => {
    // Assess
    expect(resource('MatchingQueueDlqAlarm').Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['MatchingQueueDlq', 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      EvaluationPeriods: 1,
      AlarmActions: [{ Ref: 'AlarmTopic' }],
    });
  });
});

describe('alarm topic', () => {
  it('is encrypted with the CMK, TLS only, and CloudWatch may publish to it and use the key', () => {
    // Assess
    expect(resource('AlarmTopic').Properties.KmsMasterKeyId).toEqual(keyArn);
    const [, topicPolicy] = resourcesOfType('AWS::SNS::TopicPolicy')[0] ?? [];
    const topicStatements = topicPolicy?.Properties.PolicyDocument.Statement;
    expect(topicStatements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    expect(topicStatements).toContainEqual(
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
    );
    expect(resource('EncryptionKey').Properties.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      }),
    );
  });

  it('has no e-mail subscription unless alarmEmail is given', () => {
    // Act
    const withEmail = Template.fromJSON(synthesizeTemplate({ bundle: false, context: { alarmEmail: 'ops@example.org' } }));

    // Assess
    // (Other topics have SQS subscriptions of their own: only e-mail ones count here.)
    expect(resourcesOfType('AWS::SNS::Subscription').filter(([, s]) => s.Properties.Protocol === 'email')).toEqual([]);
    withEmail.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.org',
      TopicArn: { Ref: 'AlarmTopic' },
    });
  });
});

describe('webhook secret', () => {
  it('is encrypted with the CMK', () => {
    // Assess
    expect(resource('WebhookSecret')).toMatchObject({
      Type: 'AWS::SecretsManager::Secret',
      Properties: { KmsKeyId: keyArn },
    });
  });
});

describe('intake function', () => {
  it('runs Node.js 24 on arm64 with 512 MB, 10 s and no reserved concurrency', () => {
    // Assess
    const { Properties } = resource('IntakeFunction');
    expect(Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: 10,
      Handler: 'index.handler',
    });
    expect(Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('is told where its table, queue and secret are, and how to log', () => {
    // Assess
    expect(resource('IntakeFunction').Properties.Environment.Variables).toEqual({
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: 'intake',
      POWERTOOLS_METRICS_NAMESPACE: 'CaredFor',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      [ENV.referralsTable]: { Ref: 'ReferralsTable' },
      [ENV.idempotencyTable]: { Ref: 'IdempotencyTable' },
      [ENV.matchingQueueUrl]: { Ref: 'MatchingQueue' },
      [ENV.webhookSecretArn]: { Ref: 'WebhookSecret' },
    });
  });

  it('logs to its own log group, kept 3 months and retained', () => {
    // Assess
    const logGroupId = resource('IntakeFunction').Properties.LoggingConfig.LogGroup.Ref;
    expect(resource(logGroupId)).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 90 },
      DeletionPolicy: 'Retain',
    });
  });
});

describe('least privilege', () => {
  const intakeRoleId = () => resource('IntakeFunction').Properties.Role['Fn::GetAtt'][0] as string;

  it('grants the intake role exactly the actions it uses, each on its one resource', () => {
    // Act
    const grants = statementsOf(intakeRoleId()).map((s) => ({
      effect: s.Effect,
      actions: asList(s.Action).sort(),
      resources: asList(s.Resource),
    }));

    // Assess
    const logGroupId = resource('IntakeFunction').Properties.LoggingConfig.LogGroup.Ref;
    const allow = (actions: string[], on: Json) => ({ effect: 'Allow', actions: actions.sort(), resources: [on] });
    expect(grants).toHaveLength(6);
    expect(grants).toEqual(
      expect.arrayContaining([
        allow(['logs:CreateLogStream', 'logs:PutLogEvents'], { 'Fn::GetAtt': [logGroupId, 'Arn'] }),
        allow(
          ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
          { 'Fn::GetAtt': ['ReferralsTable', 'Arn'] },
        ),
        allow(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], {
          'Fn::GetAtt': ['IdempotencyTable', 'Arn'],
        }),
        allow(['sqs:SendMessage'], { 'Fn::GetAtt': ['MatchingQueue', 'Arn'] }),
        allow(['secretsmanager:GetSecretValue'], { Ref: 'WebhookSecret' }),
        allow(['kms:Decrypt', 'kms:GenerateDataKey'], keyArn),
      ]),
    );
  });

  it('gives function roles no wildcard and no managed policy', () => {
    // Prepare
    const functionRoles = resourcesOfType('AWS::Lambda::Function').map(([, fn]) => fn.Properties.Role['Fn::GetAtt'][0]);

    // Assess
    expect(functionRoles.length).toBeGreaterThan(0);
    for (const roleId of functionRoles) {
      expect(resource(roleId).Properties.ManagedPolicyArns).toBeUndefined();
      for (const statement of statementsOf(roleId)) {
        expect(JSON.stringify(asList(statement.Action))).not.toContain('*');
        expect(JSON.stringify(asList(statement.Resource))).not.toContain('*');
        expect(statement.NotAction ?? statement.NotResource).toBeUndefined();
      }
    }
  });
});

describe('public API', () => {
  it('routes POST /webhooks/referrals to the intake function as a Lambda proxy, with no authorizer', () => {
    // Prepare
    const pathParts = Object.fromEntries(
      resourcesOfType('AWS::ApiGateway::Resource').map(([id, r]) => [id, r.Properties.PathPart as string]),
    );

    // Act
    const routes = resourcesOfType('AWS::ApiGateway::Method').map(([, m]) => ({
      method: m.Properties.HttpMethod,
      path: pathParts[m.Properties.ResourceId.Ref],
      props: m.Properties,
    }));

    // Assess
    const webhook = routes.filter((r) => r.path === 'referrals');
    expect(webhook).toHaveLength(1);
    expect(webhook[0]).toMatchObject({
      method: 'POST',
      path: 'referrals',
      props: {
        AuthorizationType: 'NONE',
        RestApiId: { Ref: 'Api' },
        Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' },
      },
    });
    expect(JSON.stringify(webhook[0]?.props.Integration.Uri)).toContain('"IntakeFunction","Arn"');
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'webhooks' });
    expect(resource('Api').Properties.EndpointConfiguration).toEqual({ Types: ['REGIONAL'] });
  });

  it('lets API Gateway invoke each function for its own routes on the stage only', () => {
    // Assess
    const permissions = resourcesOfType('AWS::Lambda::Permission')
      .filter(([, p]) => p.Properties.Principal === 'apigateway.amazonaws.com')
      .map(([, p]) => ({
      fn: p.Properties.FunctionName['Fn::GetAtt'][0] as string,
      source: JSON.stringify(p.Properties.SourceArn),
    }));
    expect(permissions).toHaveLength(4);
    expect(permissions.filter((p) => p.fn === 'IntakeFunction').map((p) => p.source)).toEqual([expect.stringContaining('/POST/webhooks/referrals')]);
    const api = permissions.filter((p) => p.fn === 'ApiFunction').map((p) => p.source);
    for (const method of ['GET', 'PUT', 'POST']) expect(api).toContainEqual(expect.stringContaining(`/${method}/api/*`));
    for (const { source } of permissions) expect(source).not.toContain('test-invoke-stage');
  });

  it('serves stage v1, throttled, logging errors only and never request or response data', () => {
    // Assess
    const [[, stage]] = resourcesOfType('AWS::ApiGateway::Stage') as [[string, Json]];
    expect(stage.Properties).toMatchObject({
      StageName: 'v1',
      MethodSettings: [
        {
          HttpMethod: '*',
          ResourcePath: '/*',
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
          ThrottlingRateLimit: 50,
          ThrottlingBurstLimit: 100,
        },
      ],
    });
    const accessLog = stage.Properties.AccessLogSetting;
    expect(resource(accessLog.DestinationArn['Fn::GetAtt'][0]).Type).toBe('AWS::Logs::LogGroup');
    const fields = Object.values(JSON.parse(accessLog.Format) as Record<string, string>);
    expect(fields).toContain('$context.requestId');
    expect(fields.filter((field) => /body|header|input/i.test(field))).toEqual([]);
  });

  it('associates the web ACL with the stage only when webAclArn is given', () => {
    // Prepare
    const webAclArn = 'arn:aws:wafv2:eu-west-2:123456789012:regional/webacl/council/0000';

    // Act
    const withWaf = Template.fromJSON(synthesizeTemplate({ bundle: false, context: { webAclArn } }));

    // Assess
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    const [stageId] = resourcesOfType('AWS::ApiGateway::Stage')[0] ?? [];
    withWaf.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: webAclArn });
    expect(JSON.stringify(withWaf.findResources('AWS::WAFv2::WebACLAssociation'))).toContain(`{"Ref":"${stageId}"}`);
  });
});

describe('outputs', () => {
  it('names the URLs, tables, queues, secret and topic an operator needs', () => {
    // Assess (each feature's own outputs are checked with the feature)
    expect(template.toJSON().Outputs).toMatchObject({
      WebhookUrl: { Value: expect.objectContaining({ 'Fn::Join': expect.any(Array) }) },
      ReferralsTableName: { Value: { Ref: 'ReferralsTable' } },
      IdempotencyTableName: { Value: { Ref: 'IdempotencyTable' } },
      EstateTableName: { Value: { Ref: 'EstateTable' } },
      MatchingQueueUrl: { Value: { Ref: 'MatchingQueue' } },
      MatchingDlqUrl: { Value: { Ref: 'MatchingQueueDlq' } },
      WebhookSecretArn: { Value: { Ref: 'WebhookSecret' } },
      AlarmTopicArn: { Value: { Ref: 'AlarmTopic' } },
    });
    const [stageId] = resourcesOfType('AWS::ApiGateway::Stage')[0] ?? [];
    expect(JSON.stringify(template.toJSON().Outputs.WebhookUrl)).toContain(`{"Ref":"${stageId}"},"/webhooks/referrals"`);
  });
});

/** Rule ids (with finding, e.g. `AwsSolutions-IAM5[Action::s3:*]`) that the validation report lists as violated. */
function reportedFindings(app: App): string[] {
  const report = JSON.parse(readFileSync(join(app.outdir, 'validation-report.json'), 'utf8')) as Json;
  return report.pluginReports
    .filter((plugin: Json) => plugin.pluginName === 'AwsSolutions')
    .flatMap((plugin: Json) => plugin.violations.map((violation: Json) => violation.ruleName));
}

/** Synthesizes, expecting the nag findings to fail it; returns the findings the report names. */
function findingsThatFailSynth(app: App): string[] {
  expect(() => app.synth()).toThrow();
  return reportedFindings(app);
}

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged in the stack', () => {
    // Prepare
    const { app } = buildStack({ bundle: false });

    // Act
    app.synth();

    // Assess
    expect(reportedFindings(app)).toEqual([]);
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
  });

  it('acknowledges each finding on its own construct, with a reason', () => {
    // Prepare
    const { app } = buildStack({ bundle: false });

    // Act
    const acknowledgements = app.node.findAll().flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) =>
          Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
            path: construct.node.path,
            id: id.replace(/^annotation::/i, ''),
            reason,
          })),
        ),
    );

    // Assess
    expect(acknowledgements.map(({ path, id }) => `${path} ${id}`).sort()).toEqual(
      [
        'CaredFor/Api/RestApi AwsSolutions-APIG2',
        'CaredFor/Api/RestApi/CloudWatchRole AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        'CaredFor/Api/RestApi/DeploymentStage.v1 AwsSolutions-APIG3',
        'CaredFor/Api/RestApi/Default/webhooks/referrals/POST AwsSolutions-APIG4',
        'CaredFor/Api/RestApi/Default/webhooks/referrals/POST AwsSolutions-COG4',
        ...['GET', 'PUT', 'POST'].flatMap((method) => [
          `CaredFor/Api/RestApi/Default/api/{proxy+}/${method} AwsSolutions-APIG4`,
          `CaredFor/Api/RestApi/Default/api/{proxy+}/${method} AwsSolutions-COG4`,
        ]),
        'CaredFor/WebhookSecret/Secret AwsSolutions-SMG4',
        'CaredFor/VoidBedAlertsTopic/Inbox AwsSolutions-SQS3',
      ].sort(),
    );
    for (const { reason } of acknowledgements) expect(reason.length).toBeGreaterThan(80);
  });

  it('fails synthesis on a non-compliant resource added to the stack', () => {
    // Prepare
    const { app, stack } = buildStack({ bundle: false });
    new sqs.Queue(stack, 'QueueWithoutDeadLetterQueue', { enforceSSL: true });

    // Act
    const findings = findingsThatFailSynth(app);

    // Assess
    expect(findings).toEqual(['AwsSolutions-SQS3']);
  });

  it('fails synthesis on a wildcard grant to a function role: no acknowledgement covers it', () => {
    // Prepare
    const { app, stack } = buildStack({ bundle: false });
    stack.intakeFunction.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:*'], resources: [stack.referralsTable.table.tableArn] }),
    );

    // Act
    const findings = findingsThatFailSynth(app);

    // Assess
    expect(findings).toEqual(['AwsSolutions-IAM5[Action::dynamodb:*]']);
  });

  it('needs no APIG3 acknowledgement once a web ACL protects the stage', () => {
    // Prepare
    const { app } = buildStack({
      bundle: false,
      context: { webAclArn: 'arn:aws:wafv2:eu-west-2:123456789012:regional/webacl/council/0000' },
    });

    // Act
    app.synth();

    // Assess
    const acknowledged = app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.keys(m.data as object));
    expect(acknowledged.some((id) => id.includes('APIG3'))).toBe(false);
    expect(reportedFindings(app)).toEqual([]);
  });
});

// --- matcher: estate table, matcher function, its queue and grants ---
describe('estate table', () => {
  it('keeps homes and calendars by pk/sk with the byKind index, protected and encrypted with the CMK', () => {
    // Assess
    const table = resource('EstateTable');
    expect(table).toMatchObject({
      Type: 'AWS::DynamoDB::Table',
      Properties: { BillingMode: 'PAY_PER_REQUEST', DeletionProtectionEnabled: true, SSESpecification: { KMSMasterKeyId: keyArn } },
      DeletionPolicy: 'Retain',
    });
    expect(table.Properties.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'byKind',
        KeySchema: [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
  });
});

describe('matcher function', () => {
  const matcherRoleId = () => resource('MatcherFunction').Properties.Role['Fn::GetAtt'][0] as string;

  it('runs Node.js 24 on arm64 with 1 GB and 20 s (a sixth of the queue’s visibility timeout), told its three tables', () => {
    // Assess
    const { Properties } = resource('MatcherFunction');
    expect(Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], MemorySize: 1024, Timeout: 20 });
    expect(Properties.Environment.Variables).toEqual({
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: 'matcher',
      POWERTOOLS_METRICS_NAMESPACE: 'CaredFor',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      [ENV.referralsTable]: { Ref: 'ReferralsTable' },
      [ENV.estateTable]: { Ref: 'EstateTable' },
      [ENV.placementsTable]: { Ref: 'PlacementsTable' },
    });
    expect(resource('MatchingQueue').Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * Properties.Timeout);
  });

  it('consumes the matching queue in batches of 10, reporting partial batch failures', () => {
    // Assess
    expect(resource('MatcherFunctionFromMatchingQueue').Properties).toEqual({
      BatchSize: 10,
      EventSourceArn: { 'Fn::GetAtt': ['MatchingQueue', 'Arn'] },
      FunctionName: { Ref: 'MatcherFunction' },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('is granted exactly what matching and releasing a withdrawn referral’s offers use, and no Scan', () => {
    // Act
    const grants = statementsOf(matcherRoleId()).map((s) => ({ effect: s.Effect, actions: asList(s.Action).sort(), resources: asList(s.Resource) }));

    // Assess
    const logGroupId = resource('MatcherFunction').Properties.LoggingConfig.LogGroup.Ref;
    const allow = (actions: string[], on: Json) => ({ effect: 'Allow', actions: actions.sort(), resources: [on] });
    const index = (table: string, name: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [table, 'Arn'] }, `/index/${name}`]] });
    const readWrite = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'];
    expect(grants).toHaveLength(8);
    expect(grants).toEqual(
      expect.arrayContaining([
        allow(['logs:CreateLogStream', 'logs:PutLogEvents'], { 'Fn::GetAtt': [logGroupId, 'Arn'] }),
        // the referral (current and history) and its PROPOSAL#<version>
        allow(readWrite, { 'Fn::GetAtt': ['ReferralsTable', 'Arn'] }),
        // every home and calendar through byKind; a calendar read and rewritten when an offer is released
        allow(readWrite, { 'Fn::GetAtt': ['EstateTable', 'Arn'] }),
        allow(['dynamodb:Query'], index('EstateTable', 'byKind')),
        // a referral's offers through byReferral; each read and rewritten when released
        allow(readWrite, { 'Fn::GetAtt': ['PlacementsTable', 'Arn'] }),
        allow(['dynamodb:Query'], index('PlacementsTable', 'byReferral')),
        allow(['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'], {
          'Fn::GetAtt': ['MatchingQueue', 'Arn'],
        }),
        allow(['kms:Decrypt', 'kms:GenerateDataKey'], keyArn),
      ]),
    );
    expect(JSON.stringify(grants)).not.toContain('dynamodb:Scan');
  });
});

// --- manager API -------------------------------------------------------------

describe('placements table', () => {
  it('keeps offers and placements by pk/sk with indexes by referral, placing council and bed, protected and encrypted', () => {
    // Assess
    const table = resource('PlacementsTable');
    expect(table).toMatchObject({
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn },
        DeletionProtectionEnabled: true,
      },
      DeletionPolicy: 'Retain',
    });
    const index = (name: string, n: number) => ({
      IndexName: name,
      KeySchema: [
        { AttributeName: `gsi${n}pk`, KeyType: 'HASH' },
        { AttributeName: `gsi${n}sk`, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    });
    expect(table.Properties.GlobalSecondaryIndexes).toEqual([index('byReferral', 1), index('byPlacingAuthority', 2), index('byBed', 3)]);
  });
});

describe('api function', () => {
  const apiRoleId = () => resource('ApiFunction').Properties.Role['Fn::GetAtt'][0] as string;

  it('runs Node.js 24 on arm64, told its three tables and the identity provider it trusts', () => {
    // Assess
    const { Properties } = resource('ApiFunction');
    expect(Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], MemorySize: 512, Timeout: 10 });
    // Each feature checks the variables it adds (Section 17, invoicing, KPIs…).
    expect(Properties.Environment.Variables).toMatchObject({
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: 'api',
      POWERTOOLS_METRICS_NAMESPACE: 'CaredFor',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      [ENV.estateTable]: { Ref: 'EstateTable' },
      [ENV.referralsTable]: { Ref: 'ReferralsTable' },
      [ENV.placementsTable]: { Ref: 'PlacementsTable' },
      [ENV.oidcIssuer]: PLACEHOLDER_IDENTITY_PROVIDER.issuer,
      [ENV.oidcAudience]: PLACEHOLDER_IDENTITY_PROVIDER.audience,
      [ENV.oidcJwksUrl]: PLACEHOLDER_IDENTITY_PROVIDER.jwksUrl,
    });
  });

  it("takes the council's identity provider from context, all three values or none", () => {
    // Prepare
    const context = {
      oidcIssuer: 'https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0',
      oidcAudience: 'api://cared-for-prod',
      oidcJwksUrl: 'https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/discovery/v2.0/keys',
    };

    // Act
    const configured = synthesizeTemplate({ bundle: false, context });

    // Assess
    expect(configured.Resources.ApiFunction.Properties.Environment.Variables).toMatchObject({
      [ENV.oidcIssuer]: context.oidcIssuer,
      [ENV.oidcAudience]: context.oidcAudience,
      [ENV.oidcJwksUrl]: context.oidcJwksUrl,
    });
    expect(() => buildStack({ bundle: false, context: { oidcIssuer: context.oidcIssuer } })).toThrow(/oidcAudience/);
  });

  it('is granted exactly what the decisions and views use, with no Scan, UpdateItem or BatchWriteItem', () => {
    // Act
    const grants = statementsOf(apiRoleId()).map((s) => ({ effect: s.Effect, actions: asList(s.Action).sort(), resources: asList(s.Resource) }));

    // Assess
    const logGroupId = resource('ApiFunction').Properties.LoggingConfig.LogGroup.Ref;
    const allow = (actions: string[], ...on: Json[]) => ({ effect: 'Allow', actions: actions.sort(), resources: on });
    const index = (table: string, name: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [table, 'Arn'] }, `/index/${name}`]] });
    expect(grants).toEqual(
      expect.arrayContaining([
        allow(['logs:CreateLogStream', 'logs:PutLogEvents'], { 'Fn::GetAtt': [logGroupId, 'Arn'] }),
        // homes and calendars (conditional puts and checks in one transaction), the bed directory (claimed and released)
        allow(
          ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'],
          { 'Fn::GetAtt': ['EstateTable', 'Arn'] },
        ),
        allow(['dynamodb:Query'], index('EstateTable', 'byKind')),
        // the referral's status and history (versioned puts), its proposals and history by query
        allow(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'], { 'Fn::GetAtt': ['ReferralsTable', 'Arn'] }),
        allow(['dynamodb:Query'], index('ReferralsTable', 'byStatus')),
        allow(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'], { 'Fn::GetAtt': ['PlacementsTable', 'Arn'] }),
        allow(['dynamodb:Query'], index('PlacementsTable', 'byReferral'), index('PlacementsTable', 'byBed')),
        allow(['kms:Decrypt', 'kms:GenerateDataKey'], keyArn),
      ]),
    );
    // On the placements context's tables nothing more: other features' grants are checked with them.
    const placementsContext = grants.filter((g) => /EstateTable|ReferralsTable|PlacementsTable/.test(JSON.stringify(g.resources)));
    expect(placementsContext).toHaveLength(6);
    for (const forbidden of ['dynamodb:Scan', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem']) expect(JSON.stringify(placementsContext)).not.toContain(forbidden);
    expect(JSON.stringify(grants)).not.toContain('dynamodb:Scan');
  });

  it('serves GET, PUT and POST under /api/{proxy+} as Lambda proxy routes with no authorizer (JWTs are verified in the function)', () => {
    // Prepare
    const pathParts = Object.fromEntries(resourcesOfType('AWS::ApiGateway::Resource').map(([id, r]) => [id, r.Properties.PathPart as string]));

    // Act
    const routes = resourcesOfType('AWS::ApiGateway::Method')
      .filter(([, m]) => pathParts[m.Properties.ResourceId.Ref] === '{proxy+}')
      .map(([, m]) => m.Properties);

    // Assess
    expect(routes.map((r) => r.HttpMethod).sort()).toEqual(['GET', 'POST', 'PUT']);
    for (const r of routes) {
      expect(r).toMatchObject({ AuthorizationType: 'NONE', Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' } });
      expect(JSON.stringify(r.Integration.Uri)).toContain('"ApiFunction","Arn"');
    }
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'api' });
    expect(template.toJSON().Outputs).toMatchObject({
      ManagerApiUrl: { Value: expect.objectContaining({ 'Fn::Join': expect.any(Array) }) },
      PlacementsTableName: { Value: { Ref: 'PlacementsTable' } },
    });
  });
});
