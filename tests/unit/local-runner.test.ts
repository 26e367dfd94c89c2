/**
 * The local runner's pure parts: schedule expressions and events, intrinsic functions, REST API
 * routing and proxy events, partial batch responses, and the loud failure on resource types it
 * cannot run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { batchItemFailures, type SqsRecord } from '#infra/local/event-source-mapping';
import { matchRoute, readRestApis, restApiAnswer, restApiEvent, type RestApiSpec } from '#infra/local/http-gateway';
import { startLocalStack } from '#infra/local/runner';
import { nextFirings, parseScheduleExpression, scheduledEvent, targetPayload } from '#infra/local/schedules';
import { withLocalSecrets } from '#infra/local/secrets';
import { assertRunnable, resolveIntrinsics, shortName, type CfnTemplate, type ResolveContext } from '#infra/local/template';

const from = new Date('2026-11-23T00:00:00Z'); // a Monday

describe('schedule expressions (UTC, AWS cron fields)', () => {
  const iso = (expression: string, n = 2) => nextFirings(expression, n, from).map((d) => d.toISOString());

  it('reads cron with ? and month days', () => {
    expect(iso('cron(0 6 1 * ? *)')).toEqual(['2026-12-01T06:00:00.000Z', '2027-01-01T06:00:00.000Z']);
  });
  it('numbers weekdays as AWS does (1 = Sunday) and reads names', () => {
    expect(iso('cron(0 9 ? * 2 *)')).toEqual(['2026-11-23T09:00:00.000Z', '2026-11-30T09:00:00.000Z']);
    expect(iso('cron(30 7 ? * MON-FRI *)', 6).map((d) => new Date(d).getUTCDay())).toEqual([1, 2, 3, 4, 5, 1]);
  });
  it('accepts AWS step syntax and the year field', () => {
    expect(iso('cron(0/15 * * * ? *)', 3)).toEqual(['2026-11-23T00:15:00.000Z', '2026-11-23T00:30:00.000Z', '2026-11-23T00:45:00.000Z']);
    expect(iso('cron(0 6 1 1 ? 2028)', 1)).toEqual(['2028-01-01T06:00:00.000Z']);
  });
  it('reads rate(...)', () => {
    expect(parseScheduleExpression('rate(5 minutes)')).toEqual({ kind: 'rate', everyMs: 300_000 });
    expect(parseScheduleExpression('rate(1 day)')).toEqual({ kind: 'rate', everyMs: 86_400_000 });
  });
  it('refuses what EventBridge refuses', () => {
    expect(() => parseScheduleExpression('cron(0 6 1 * MON *)')).toThrow(/must be \?/);
    expect(() => parseScheduleExpression('cron(0 6 * * *)')).toThrow(/6 fields/);
    expect(() => parseScheduleExpression('every day')).toThrow();
  });
});

describe('scheduled events', () => {
  const event = scheduledEvent({ arn: 'arn:aws:events:eu-west-2:000000000000:rule/r' }, new Date('2026-05-01T06:00:00.123Z'));

  it('has the shape EventBridge sends', () => {
    expect(event).toMatchObject({ 'detail-type': 'Scheduled Event', source: 'aws.events', time: '2026-05-01T06:00:00Z', resources: ['arn:aws:events:eu-west-2:000000000000:rule/r'], detail: {} });
  });
  it('applies Input, InputPath and InputTransformer', () => {
    expect(targetPayload({ kind: 'constant', json: '{"job":"invoices"}' }, event)).toEqual({ job: 'invoices' });
    expect(targetPayload({ kind: 'path', path: '$.time' }, event)).toBe('2026-05-01T06:00:00Z');
    expect(targetPayload({ kind: 'transformer', paths: { t: '$.time' }, template: '{"at": <t>, "label": "<t>"}' }, event)).toEqual({ at: '2026-05-01T06:00:00Z', label: '2026-05-01T06:00:00Z' });
  });
});

describe('intrinsic functions', () => {
  const template: CfnTemplate = {
    Parameters: { Email: { Default: 'ops@council.example' } },
    Resources: { Table: { Type: 'AWS::DynamoDB::Table' }, Queue: { Type: 'AWS::SQS::Queue' }, Api: { Type: 'AWS::ApiGateway::RestApi' }, Role: { Type: 'AWS::IAM::Role' } },
  };
  const ctx: ResolveContext = {
    template,
    stackName: 'CaredFor',
    values: {
      Table: { ref: 'CaredFor-Table', attributes: { Arn: 'arn:table' } },
      Queue: { ref: 'http://q/Queue', attributes: { Arn: 'arn:queue', QueueName: 'CaredFor-Queue' } },
      Api: { ref: 'api', attributes: { RootResourceId: 'root' } },
    },
    apiUrls: { api: 'http://127.0.0.1:3000/' },
  };
  const resolve = (v: unknown) => resolveIntrinsics(v, ctx, 'test');

  it('resolves Ref, GetAtt, parameters and pseudo parameters', () => {
    expect(resolve({ Ref: 'Table' })).toBe('CaredFor-Table');
    expect(resolve({ 'Fn::GetAtt': ['Queue', 'Arn'] })).toBe('arn:queue');
    expect(resolve({ 'Fn::GetAtt': 'Queue.QueueName' })).toBe('CaredFor-Queue');
    expect(resolve({ Ref: 'Email' })).toBe('ops@council.example');
    expect(resolve({ Ref: 'AWS::Region' })).toBe('eu-west-2');
    expect(resolve({ 'Fn::GetAtt': ['Role', 'Arn'] })).toBe('arn:aws:iam:eu-west-2:000000000000:Role');
  });
  it('resolves Sub, Join, Select, Split and drops AWS::NoValue', () => {
    expect(resolve({ 'Fn::Sub': 'x-${Table}-${Queue.Arn}-${!Literal}-${AWS::AccountId}' })).toBe('x-CaredFor-Table-arn:queue-${Literal}-000000000000');
    expect(resolve({ 'Fn::Sub': ['${A}/${Table}', { A: { Ref: 'Queue' } }] })).toBe('http://q/Queue/CaredFor-Table');
    expect(resolve({ 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] })).toBe('b');
    expect(resolve({ a: 1, b: { Ref: 'AWS::NoValue' } })).toEqual({ a: 1 });
  });
  it('turns execute-api URLs into the local gateway', () => {
    expect(resolve({ 'Fn::Join': ['', ['https://', { Ref: 'Api' }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/', 'v1', '/webhooks']] })).toBe(
      'http://127.0.0.1:3000/v1/webhooks',
    );
  });
  it('says what it cannot resolve', () => {
    expect(() => resolve({ 'Fn::ImportValue': 'x' })).toThrow(/Fn::ImportValue is not resolved/);
    expect(() => resolve({ Ref: 'Nothing' })).toThrow(/cannot resolve Ref Nothing/);
    expect(() => resolve({ 'Fn::GetAtt': ['Table', 'StreamArn'] })).toThrow(/Table\.StreamArn/);
  });
});

describe('REST API routing', () => {
  const method = (resource: unknown, verb: string, fn = 'Fn') => ({
    Type: 'AWS::ApiGateway::Method',
    Properties: { RestApiId: { Ref: 'Api' }, ResourceId: resource, HttpMethod: verb, AuthorizationType: 'NONE', Integration: { Type: 'AWS_PROXY', Uri: { 'Fn::Join': ['', ['arn:', { 'Fn::GetAtt': [fn, 'Arn'] }, '/invocations']] } } },
  });
  const resource = (parent: unknown, part: string) => ({ Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: { Ref: 'Api' }, ParentId: parent, PathPart: part } });
  const root = { 'Fn::GetAtt': ['Api', 'RootResourceId'] };
  const template: CfnTemplate = {
    Resources: {
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { BinaryMediaTypes: ['application/pdf'] } },
      Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'v1' } },
      Homes: resource(root, 'homes'),
      Home: resource({ Ref: 'Homes' }, '{homeId}'),
      Mine: resource({ Ref: 'Homes' }, 'mine'),
      Proxy: resource(root, '{proxy+}'),
      HomesGet: method({ Ref: 'Homes' }, 'GET'),
      HomeGet: method({ Ref: 'Home' }, 'GET'),
      MineGet: method({ Ref: 'Mine' }, 'GET', 'Other'),
      ProxyAny: method({ Ref: 'Proxy' }, 'ANY'),
    },
  };
  const [api] = readRestApis(template, new Set(['Fn', 'Other'])) as [RestApiSpec];

  it('reads the resource tree and the stage', () => {
    expect(api.stage).toBe('v1');
    expect(matchRoute(api, 'GET', '/homes')?.node.path).toBe('/homes');
  });
  it('prefers literal parts, then parameters, then greedy paths; ANY answers the rest', () => {
    expect(matchRoute(api, 'GET', '/homes/mine')).toMatchObject({ node: { path: '/homes/mine' }, target: { functionLogicalId: 'Other' }, pathParameters: null });
    expect(matchRoute(api, 'GET', '/homes/H%201')).toMatchObject({ node: { path: '/homes/{homeId}' }, pathParameters: { homeId: 'H 1' } });
    expect(matchRoute(api, 'POST', '/homes/H1')).toMatchObject({ node: { path: '/{proxy+}' }, pathParameters: { proxy: 'homes/H1' } });
    expect(matchRoute(api, 'DELETE', '/a/b/c')).toMatchObject({ pathParameters: { proxy: 'a/b/c' } });
    expect(matchRoute(api, 'GET', '/')).toBeUndefined();
  });
  it('builds a v1 proxy event with raw headers, query strings and base64 for binary', () => {
    const match = matchRoute(api, 'GET', '/homes/H1')!;
    const event = restApiEvent(
      api,
      match,
      { method: 'GET', path: '/homes/H1', rawQuery: 'a=1&a=2&b=x%20y', headers: [['X-Thing', '1'], ['X-Thing', '2'], ['Content-Type', 'application/pdf']], body: Buffer.from([0xff, 0x00]), sourceIp: '127.0.0.1', host: '127.0.0.1:3000' },
      'req-1',
    );
    expect(event).toMatchObject({
      resource: '/homes/{homeId}',
      path: '/homes/H1',
      httpMethod: 'GET',
      headers: { 'X-Thing': '2' },
      multiValueHeaders: { 'X-Thing': ['1', '2'] },
      queryStringParameters: { a: '2', b: 'x y' },
      multiValueQueryStringParameters: { a: ['1', '2'], b: ['x y'] },
      pathParameters: { homeId: 'H1' },
      requestContext: { stage: 'v1', path: '/v1/homes/H1', resourcePath: '/homes/{homeId}', requestId: 'req-1', identity: { sourceIp: '127.0.0.1' } },
      body: '/wA=',
      isBase64Encoded: true,
    });
  });
  it('answers 502 for a result that is not a proxy response', () => {
    const answer = restApiAnswer({ ok: true, payload: { body: 'no status' }, requestId: 'r', durationMs: 1, logs: [] }, 'r');
    expect(answer.statusCode).toBe(502);
    const ok = restApiAnswer({ ok: true, payload: { statusCode: 201, headers: { a: 'b' }, multiValueHeaders: { c: ['d', 'e'] }, body: 'hi' }, requestId: 'r', durationMs: 1, logs: [] }, 'r');
    expect(ok).toMatchObject({ statusCode: 201, body: Buffer.from('hi') });
    expect(ok.headers).toEqual(expect.arrayContaining([['a', 'b'], ['c', 'd'], ['c', 'e']]));
  });
});

describe('partial batch responses', () => {
  const records = [{ messageId: 'a' }, { messageId: 'b' }] as SqsRecord[];
  it('names the failed records, or fails the batch when malformed', () => {
    expect(batchItemFailures({ batchItemFailures: [{ itemIdentifier: 'b' }] }, records)).toEqual(new Set(['b']));
    expect(batchItemFailures(null, records)).toEqual(new Set());
    expect(batchItemFailures({ batchItemFailures: [] }, records)).toEqual(new Set());
    expect(batchItemFailures({ batchItemFailures: [{ itemIdentifier: 'zzz' }] }, records)).toBe('invalid');
    expect(batchItemFailures({ batchItemFailures: [{ itemIdentifier: '' }] }, records)).toBe('invalid');
  });
});

describe('what the runner will not run', () => {
  it('stops on an unknown resource type, naming it and its logical id', () => {
    expect(() => assertRunnable({ Resources: { Bus: { Type: 'AWS::Events::EventBus' } } })).toThrow(/cannot run AWS::Events::EventBus \(logical id Bus\)/);
    expect(() => assertRunnable({ Resources: { Role: { Type: 'AWS::IAM::Role' }, Key: { Type: 'AWS::KMS::Key' } } })).not.toThrow();
  });

  it('stops before starting anything on a rule with an event pattern', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cared-for-unrunnable-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ artifacts: { S: { type: 'aws:cloudformation:stack', properties: { templateFile: 'S.template.json' } } } }));
    writeFileSync(join(dir, 'S.template.json'), JSON.stringify({ Resources: { OnEvent: { Type: 'AWS::Events::Rule', Properties: { EventPattern: { source: ['x'] }, Targets: [] } } } }));
    await expect(startLocalStack({ cdkOut: dir, dataDir: join(dir, 'data'), writeInfo: false, log: () => undefined })).rejects.toThrow(
      /cannot run AWS::Events::Rule \(logical id OnEvent\): only schedules run locally/,
    );
  });

  it('refuses a secret ARN variable it has no local counterpart for', () => {
    const secrets = { Key: { logicalId: 'Key', arn: 'arn:secret', value: 'v' } };
    expect(withLocalSecrets('Fn', { WEBHOOK_SECRET_ARN: 'arn:secret', OTHER: 'x' }, secrets)).toEqual({ WEBHOOK_SECRETS: 'v', OTHER: 'x' });
    expect(() => withLocalSecrets('Fn', { API_KEY_ARN: 'arn:secret' }, secrets)).toThrow(/API_KEY_ARN names the secret Key/);
  });

  it('names functions in logs by their logical id, shortened', () => {
    expect(shortName('IntakeFunction')).toBe('intake');
    expect(shortName('InvoiceBuilderFunction')).toBe('invoice-builder');
    expect(shortName('VoidBedMonitorSchedule')).toBe('void-bed-monitor');
  });
});

describe('docs/running-locally.md', () => {
  it('lists every type the runner ignores', async () => {
    const { readFileSync } = await import('node:fs');
    const { AWS_SIDE_ONLY } = await import('#infra/local/template');
    const section = readFileSync(new URL('../../docs/running-locally.md', import.meta.url), 'utf8');
    for (const type of Object.keys(AWS_SIDE_ONLY)) expect(section, type).toContain(`\`${type}\``);
  });
});
