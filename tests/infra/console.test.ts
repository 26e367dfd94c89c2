import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizeTemplate } from '#infra/synth';
import { ENV } from '#lib/config';

/** The console's part of the stack: its sessions table, client secret, function, grants and routes. */

type Json = Record<string, any>;
let resources: Json;
let outputs: Json;

beforeAll(() => {
  // Prepare
  const template = Template.fromJSON(synthesizeTemplate({ bundle: false }));
  resources = template.toJSON().Resources;
  outputs = template.toJSON().Outputs;
});

const keyArn = { 'Fn::GetAtt': ['EncryptionKey', 'Arn'] };
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const indexOf = (table: string, index: string) => ({ 'Fn::Join': ['', [arnOf(table), `/index/${index}`]] });
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

function resource(id: string): Json {
  const found = resources[id];
  if (!found) throw new Error(`No resource ${id} in the template`);
  return found;
}

const ofType = (type: string): [string, Json][] => Object.entries(resources).filter(([, r]) => r.Type === type);

function statementsOf(roleId: string): Json[] {
  const inline = (resource(roleId).Properties.Policies ?? []).flatMap((p: Json) => p.PolicyDocument.Statement);
  const attached = ofType('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: Json) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
  return [...inline, ...attached];
}

describe('sessions table', () => {
  it('keys sessions by pk, expires them by TTL, and is protected and CMK-encrypted like every table', () => {
    // Assess
    expect(resource('SessionsTable')).toMatchObject({
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        DeletionProtectionEnabled: true,
      },
    });
  });
});

describe('console function', () => {
  it('runs Node.js 24 on arm64 and is told its tables, the identity provider and its session timeouts', () => {
    // Act
    const fn = resource('ConsoleFunction').Properties;

    // Assess
    expect(fn).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Timeout: 15, MemorySize: 1024 });
    expect(fn.Environment.Variables).toMatchObject({
      [ENV.sessionsTable]: { Ref: 'SessionsTable' },
      [ENV.voidBedAlertsTable]: { Ref: 'VoidBedAlertsTable' },
      [ENV.estateTable]: { Ref: 'EstateTable' },
      [ENV.oidcClientSecretArn]: { Ref: 'ConsoleClientSecret' },
      [ENV.oidcClientId]: '00000000-0000-0000-0000-000000000000',
      [ENV.oidcAuthorizationUrl]: expect.stringMatching(/^https:\/\/login\.microsoftonline\.com\/.+\/oauth2\/v2\.0\/authorize$/),
      [ENV.oidcTokenUrl]: expect.stringMatching(/\/oauth2\/v2\.0\/token$/),
      [ENV.consoleIdleMinutes]: '30',
      [ENV.consoleAbsoluteHours]: '10',
    });
  });

  it('takes the council’s app registration from context', () => {
    // Act
    const template = synthesizeTemplate({
      bundle: false,
      context: { consoleClientId: 'console-app', oidcAuthorizationUrl: 'https://idp.example/authorize', oidcTokenUrl: 'https://idp.example/token', oidcEndSessionUrl: 'https://idp.example/logout' },
    });

    // Assess
    expect(template.Resources.ConsoleFunction.Properties.Environment.Variables).toMatchObject({
      [ENV.oidcClientId]: 'console-app',
      [ENV.oidcAuthorizationUrl]: 'https://idp.example/authorize',
      [ENV.oidcTokenUrl]: 'https://idp.example/token',
      [ENV.oidcEndSessionUrl]: 'https://idp.example/logout',
    });
    expect(() => synthesizeTemplate({ bundle: false, context: { consoleClientId: 'console-app' } })).toThrow(/consoleClientId, oidcAuthorizationUrl and oidcTokenUrl/);
  });

  it('may use its sessions, read the alerts and its secret, and otherwise only what the api function may', () => {
    // Prepare
    const grantsOf = (fnId: string) =>
      statementsOf(resource(fnId).Properties.Role['Fn::GetAtt'][0])
        .filter((s) => !asList(s.Action).some((a: string) => a.startsWith('logs:')))
        .map((s) => JSON.stringify({ actions: asList(s.Action).sort(), resource: s.Resource }));

    // Act
    const consoleGrants = grantsOf('ConsoleFunction');
    const apiGrants = new Set(grantsOf('ApiFunction'));

    // Assess
    expect(consoleGrants.filter((g) => !apiGrants.has(g)).map((g) => JSON.parse(g))).toEqual([
      { actions: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], resource: arnOf('SessionsTable') },
      { actions: ['dynamodb:GetItem', 'dynamodb:Query'], resource: arnOf('VoidBedAlertsTable') },
      { actions: ['dynamodb:Query'], resource: indexOf('VoidBedAlertsTable', 'bySentMonth') },
      { actions: ['secretsmanager:GetSecretValue'], resource: { Ref: 'ConsoleClientSecret' } },
    ]);
    // The manager API's services need every grant the api function has.
    expect([...apiGrants].filter((g) => !consoleGrants.includes(g))).toEqual([]);
  });

  it('is reached at GET and POST /console and /console/{proxy+} with no authorizer (sign-in is in the function)', () => {
    // Prepare
    const parts = Object.fromEntries(ofType('AWS::ApiGateway::Resource').map(([id, r]) => [id, r.Properties]));
    const pathOf = (id: string): string => (parts[id] ? `${parts[id].ParentId.Ref ? pathOf(parts[id].ParentId.Ref) : ''}/${parts[id].PathPart}` : '');

    // Act
    const routes = ofType('AWS::ApiGateway::Method')
      .filter(([, m]) => JSON.stringify(m.Properties.Integration.Uri).includes('"ConsoleFunction","Arn"'))
      .map(([, m]) => `${m.Properties.HttpMethod} ${pathOf(m.Properties.ResourceId.Ref)} ${m.Properties.AuthorizationType}`);

    // Assess
    expect(routes.sort()).toEqual(['GET /console NONE', 'GET /console/{proxy+} NONE', 'POST /console NONE', 'POST /console/{proxy+} NONE']);
    expect(outputs.ConsoleUrl.Value['Fn::Join'][1].join('')).toContain('/console/');
  });
});
