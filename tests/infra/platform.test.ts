/** The platform every area builds on: the key, the alarm topic, the public API, what every function shares, cdk-nag. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type App, CfnResource, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { buildStack } from '#infra/synth';
import { apiRoutes, asList, keyArn, logGroupOf, outputs, resource, resourcesOfType, roleOf, statementsOf, synthesizeWith, type Json } from './support';

describe('encryption key', () => {
  it('is customer managed, rotated and retained', () => {
    expect(resource('EncryptionKey')).toMatchObject({
      Type: 'AWS::KMS::Key',
      Properties: { EnableKeyRotation: true },
      DeletionPolicy: 'Retain',
    });
  });
});

describe('alarm topic', () => {
  it('is encrypted with the CMK, TLS only, and CloudWatch may publish to it and use the key', () => {
    expect(resource('AlarmTopic').Properties.KmsMasterKeyId).toEqual(keyArn);
    const [, topicPolicy] = resourcesOfType('AWS::SNS::TopicPolicy').find(([, p]) => p.Properties.Topics[0].Ref === 'AlarmTopic') ?? [];
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
    expect(outputs.AlarmTopicArn).toEqual({ Value: { Ref: 'AlarmTopic' } });
  });

  it('has no e-mail subscription unless alarmEmail is given', () => {
    // Act
    const withEmail = Template.fromJSON(synthesizeWith({ alarmEmail: 'ops@example.org' }));

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

describe('every function', () => {
  const functionIds = resourcesOfType('AWS::Lambda::Function').map(([id]) => id);

  it('runs Node.js 24 on arm64 and logs to its own log group, kept 3 months and retained', () => {
    expect(functionIds.length).toBeGreaterThan(0);
    for (const id of functionIds) {
      expect(resource(id).Properties, id).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'index.handler' });
      expect(resource(logGroupOf(id)), id).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: 90 },
        DeletionPolicy: 'Retain',
      });
    }
  });

  it('has a role of its own with no wildcard and no managed policy', () => {
    const roles = functionIds.map(roleOf);
    expect(new Set(roles).size).toBe(functionIds.length);
    for (const id of functionIds) {
      expect(resource(roleOf(id)).Properties.ManagedPolicyArns, id).toBeUndefined();
      for (const statement of statementsOf(id)) {
        expect(JSON.stringify(asList(statement.Action)), id).not.toContain('*');
        expect(JSON.stringify(asList(statement.Resource)), id).not.toContain('*');
        expect(statement.NotAction ?? statement.NotResource, id).toBeUndefined();
      }
    }
  });
});

describe('public API', () => {
  it('is a regional REST API whose routes are all Lambda proxies with no authorizer (each function authenticates)', () => {
    expect(resource('Api').Properties.EndpointConfiguration).toEqual({ Types: ['REGIONAL'] });
    const routes = apiRoutes();
    expect(routes.length).toBeGreaterThan(0);
    for (const { props } of routes) {
      expect(props).toMatchObject({
        AuthorizationType: 'NONE',
        RestApiId: { Ref: 'Api' },
        Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' },
      });
    }
  });

  it('lets API Gateway invoke each function for its own routes, on the stage only', () => {
    const permissions = resourcesOfType('AWS::Lambda::Permission').filter(([, p]) => p.Properties.Principal === 'apigateway.amazonaws.com');
    expect(permissions).toHaveLength(apiRoutes().length);
    for (const [, p] of permissions) expect(JSON.stringify(p.Properties.SourceArn)).not.toContain('test-invoke-stage');
  });

  it('serves stage v1, throttled, logging errors only and never request or response data', () => {
    const [[, stage]] = resourcesOfType('AWS::ApiGateway::Stage') as [[string, Json]];
    expect(stage.Properties.StageName).toBe('v1');
    // The stage's default, then each route's own limit (tests/infra/operations.test.ts).
    expect(stage.Properties.MethodSettings[0]).toEqual({
      HttpMethod: '*',
      ResourcePath: '/*',
      LoggingLevel: 'ERROR',
      DataTraceEnabled: false,
      MetricsEnabled: true,
      ThrottlingRateLimit: 50,
      ThrottlingBurstLimit: 100,
    });
    for (const setting of stage.Properties.MethodSettings) {
      expect(setting).toMatchObject({ LoggingLevel: 'ERROR', DataTraceEnabled: false, ThrottlingRateLimit: expect.any(Number) });
    }
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
    const withWaf = Template.fromJSON(synthesizeWith({ webAclArn }));

    // Assess
    expect(resourcesOfType('AWS::WAFv2::WebACLAssociation')).toEqual([]);
    const [stageId] = resourcesOfType('AWS::ApiGateway::Stage')[0] ?? [];
    withWaf.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: webAclArn });
    expect(JSON.stringify(withWaf.findResources('AWS::WAFv2::WebACLAssociation'))).toContain(`{"Ref":"${stageId}"}`);
  });
});

/** Rule ids (with finding, e.g. `AwsSolutions-IAM5[Action::s3:*]`) that the validation report lists as violated by `plugin`. */
function reportedFindings(app: App, plugin = 'AwsSolutions'): string[] {
  const report = JSON.parse(readFileSync(join(app.outdir, 'validation-report.json'), 'utf8')) as Json;
  return report.pluginReports
    .filter((r: Json) => r.pluginName === plugin)
    .flatMap((r: Json) => r.violations.map((violation: Json) => violation.ruleName));
}

/** Synthesizes, expecting the nag findings to fail it; returns the findings the report names. */
function findingsThatFailSynth(app: App): string[] {
  expect(() => app.synth()).toThrow();
  return reportedFindings(app);
}

// Run by `cdk synth`; the local runner's and the other tests' synths leave it out (infra/synth.ts).
describe("CDK's built-in CloudFormation validation", () => {
  it('finds nothing in the stack', () => {
    // Prepare
    const { app } = buildStack({ bundle: false, validateCloudFormation: true });

    // Act
    app.synth();

    // Assess
    expect(reportedFindings(app, 'CloudFormation Validate')).toEqual([]);
  });

  it('fails synthesis on a finding, as cdk-nag does, instead of warning', () => {
    // Prepare
    const { app, stack } = buildStack({ bundle: false, validateCloudFormation: true });
    new CfnResource(stack, 'Misconfigured', { type: 'AWS::SQS::Queue', properties: { VisibilityTimeout: 'soon' } });

    // Act, Assess
    expect(() => app.synth()).toThrow(/VisibilityTimeout: 'soon' is not of type 'integer'/);
    expect(reportedFindings(app, 'CloudFormation Validate')).toEqual(['F3012']);
  });
});

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
        ...['console', 'console/{proxy+}'].flatMap((path) =>
          ['GET', 'POST'].flatMap((method) => [
            `CaredFor/Api/RestApi/Default/${path}/${method} AwsSolutions-APIG4`,
            `CaredFor/Api/RestApi/Default/${path}/${method} AwsSolutions-COG4`,
          ]),
        ),
        'CaredFor/ConsoleClientSecret AwsSolutions-SMG4',
        'CaredFor/WebhookSecret/Secret AwsSolutions-SMG4',
        'CaredFor/VoidBedAlertsTopic/Inbox AwsSolutions-SQS3',
        'CaredFor/InvoicingRunSchedule/FailedEvents AwsSolutions-SQS3',
        'CaredFor/VoidBedMonitorSchedule/FailedEvents AwsSolutions-SQS3',
        'CaredFor/OutboundSigningSecretResource AwsSolutions-SMG4',
        'CaredFor/PaymentRemindersSchedule/FailedEvents AwsSolutions-SQS3',
        'CaredFor/NotificationOutboxSchedule/FailedEvents AwsSolutions-SQS3',
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
    stack.intake.function.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:*'], resources: [stack.intake.referralsTable.table.tableArn] }),
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
