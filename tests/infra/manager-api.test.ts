/** The manager API: the estate and placements tables, the api function, its identity provider and the /api routes. */
import { describe, expect, it } from 'vitest';
import { PLACEHOLDER_IDENTITY_PROVIDER } from '#infra/areas/manager-api';
import { buildStack } from '#infra/synth';
import { ENV } from '#lib/config';
import { allow, apiInvokeSources, apiRoutes, arnOf, environmentOf, expectPkSkTable, functionBasics, grantsOf, indexArn, keyArn, logGroupOf, outputs, resource, resourcesOfType, synthesizeWith } from './support';

describe('estate table', () => {
  it('keeps homes and calendars by pk/sk with the byKind index, protected and encrypted with the CMK', () => {
    expectPkSkTable('EstateTable', 'byKind');
  });
});

describe('placements table', () => {
  it('keeps offers and placements by pk/sk with indexes by referral, placing council and bed, protected and encrypted', () => {
    expectPkSkTable('PlacementsTable', 'byReferral', 'byPlacingAuthority', 'byBed');
  });
});

describe('api function', () => {
  it('runs with 512 MB and 10 s, told its three tables and the identity provider it trusts', () => {
    expect(resource('ApiFunction').Properties).toMatchObject({ MemorySize: 512, Timeout: 10 });
    // Each area checks the variables it adds (Section 17, invoicing, void beds…).
    expect(environmentOf('ApiFunction')).toMatchObject({
      ...functionBasics('api'),
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
    const configured = synthesizeWith(context);

    // Assess
    expect(configured.Resources.ApiFunction.Properties.Environment.Variables).toMatchObject({
      [ENV.oidcIssuer]: context.oidcIssuer,
      [ENV.oidcAudience]: context.oidcAudience,
      [ENV.oidcJwksUrl]: context.oidcJwksUrl,
    });
    expect(() => buildStack({ bundle: false, context: { oidcIssuer: context.oidcIssuer } })).toThrow(/oidcAudience/);
  });

  it('is granted exactly what the decisions and views use, with no Scan or BatchWriteItem, and UpdateItem on the placements table only (KPI books)', () => {
    // Act
    const grants = grantsOf('ApiFunction');

    // Assess
    expect(grants).toEqual(
      expect.arrayContaining([
        allow(['logs:CreateLogStream', 'logs:PutLogEvents'], arnOf(logGroupOf('ApiFunction'))),
        // homes and calendars (conditional puts and checks in one transaction), the bed directory (claimed and released)
        allow(
          ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'],
          arnOf('EstateTable'),
        ),
        allow(['dynamodb:Query'], indexArn('EstateTable', 'byKind')),
        // the referral's status and history (versioned puts), its proposals and history by query
        allow(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'], arnOf('ReferralsTable')),
        allow(['dynamodb:Query'], indexArn('ReferralsTable', 'byStatus')),
        // DeleteItem: a decision's notices leave the outbox once handed to the deliveries queue;
        // UpdateItem: a decision sets its placements' entries in their homes' KPI books, which the KPIs read (BatchGetItem)
        allow(['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], arnOf('PlacementsTable')),
        allow(['dynamodb:Query'], indexArn('PlacementsTable', 'byReferral'), indexArn('PlacementsTable', 'byBed')),
        allow(['kms:Decrypt', 'kms:GenerateDataKey'], keyArn),
      ]),
    );
    // On the placements context's tables nothing more: other areas' grants are checked with them.
    const placementsContext = grants.filter((g) => /EstateTable|ReferralsTable|PlacementsTable/.test(JSON.stringify(g.resources)));
    expect(placementsContext).toHaveLength(6);
    for (const forbidden of ['dynamodb:Scan', 'dynamodb:BatchWriteItem']) expect(JSON.stringify(placementsContext)).not.toContain(forbidden);
    expect(JSON.stringify(placementsContext.filter((g) => !JSON.stringify(g.resources).includes('PlacementsTable')))).not.toContain('dynamodb:UpdateItem');
    expect(JSON.stringify(grants)).not.toContain('dynamodb:Scan');
  });
});

describe('/api routes', () => {
  it('serves GET, PUT and POST under /api/{proxy+} with the api function (JWTs are verified in the function)', () => {
    // The console's /console/{proxy+} is its own area's (tests/infra/console.test.ts).
    const routes = apiRoutes().filter((r) => r.pathPart === '{proxy+}' && !JSON.stringify(r.props.Integration.Uri).includes('"ConsoleFunction"'));
    expect(routes.map((r) => r.method).sort()).toEqual(['GET', 'POST', 'PUT']);
    for (const { props } of routes) expect(JSON.stringify(props.Integration.Uri)).toContain('"ApiFunction","Arn"');
    expect(resourcesOfType('AWS::ApiGateway::Resource').map(([, r]) => r.Properties.PathPart)).toContain('api');
  });

  it('lets API Gateway invoke the api function for those routes only', () => {
    const sources = apiInvokeSources('ApiFunction');
    expect(sources).toHaveLength(3);
    for (const method of ['GET', 'PUT', 'POST']) expect(sources).toContainEqual(expect.stringContaining(`/${method}/api/*`));
  });
});

describe('outputs', () => {
  it('names the API URL and the estate and placements tables', () => {
    expect(outputs).toMatchObject({
      ManagerApiUrl: { Value: expect.objectContaining({ 'Fn::Join': expect.any(Array) }) },
      PlacementsTableName: { Value: { Ref: 'PlacementsTable' } },
      EstateTableName: { Value: { Ref: 'EstateTable' } },
    });
  });
});
