import { describe, expect, it } from 'vitest';
import { ENV } from '#lib/config';
import { allow, apiInvokeSources, apiRoutes, arnOf, environmentOf, grantsOf, indexArn, outputs, PK_SK, protectedTable, resource, resourcesOfType, synthesizeWith } from './support';

/** The console area (infra/areas/console.ts): its sessions table, client secret, function, grants and routes. */

describe('sessions table', () => {
  it('keys sessions by pk/sk, expires them by TTL, and is protected and CMK-encrypted like every table', () => {
    expect(resource('SessionsTable')).toMatchObject(protectedTable);
    expect(resource('SessionsTable').Properties).toMatchObject({ KeySchema: PK_SK, TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } });
  });
});

describe('console function', () => {
  it('runs Node.js 24 on arm64 and is told its tables, the identity provider and its session timeouts', () => {
    expect(resource('ConsoleFunction').Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Timeout: 15, MemorySize: 1024 });
    expect(environmentOf('ConsoleFunction')).toMatchObject({
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

  it('takes the council’s app registration from context, all of it or none', () => {
    // Act
    const template = synthesizeWith({
      consoleClientId: 'console-app',
      oidcAuthorizationUrl: 'https://idp.example/authorize',
      oidcTokenUrl: 'https://idp.example/token',
      oidcEndSessionUrl: 'https://idp.example/logout',
    });

    // Assess
    expect(template.Resources.ConsoleFunction.Properties.Environment.Variables).toMatchObject({
      [ENV.oidcClientId]: 'console-app',
      [ENV.oidcAuthorizationUrl]: 'https://idp.example/authorize',
      [ENV.oidcTokenUrl]: 'https://idp.example/token',
      [ENV.oidcEndSessionUrl]: 'https://idp.example/logout',
    });
    expect(() => synthesizeWith({ consoleClientId: 'console-app' })).toThrow(/consoleClientId, oidcAuthorizationUrl and oidcTokenUrl/);
  });

  it('has every grant the api function has (the same services), and besides only its sessions, the alerts (read) and its secret', () => {
    // Prepare
    const withoutLogs = (id: string) => grantsOf(id).filter((g) => !g.actions.some((a) => a.startsWith('logs:'))).map((g) => JSON.stringify(g));

    // Act
    const consoleGrants = withoutLogs('ConsoleFunction');
    const apiGrants = withoutLogs('ApiFunction');

    // Assess
    expect(apiGrants.filter((g) => !consoleGrants.includes(g))).toEqual([]);
    expect(consoleGrants.filter((g) => !apiGrants.includes(g)).map((g) => JSON.parse(g))).toEqual([
      allow(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], arnOf('SessionsTable')),
      allow(['dynamodb:GetItem', 'dynamodb:Query'], arnOf('VoidBedAlertsTable')),
      allow(['dynamodb:Query'], indexArn('VoidBedAlertsTable', 'bySentMonth')),
      allow(['secretsmanager:GetSecretValue'], { Ref: 'ConsoleClientSecret' }),
    ]);
  });

  it('is reached at GET and POST /console and /console/{proxy+}, with no authorizer (sign-in is in the function), and API Gateway may invoke it for those only', () => {
    // Act
    const routes = apiRoutes().filter((r) => JSON.stringify(r.props.Integration.Uri).includes('"ConsoleFunction","Arn"'));
    const sources = apiInvokeSources('ConsoleFunction');

    // Assess
    expect(routes.map((r) => `${r.method} ${r.pathPart} ${r.props.AuthorizationType}`).sort()).toEqual(['GET console NONE', 'GET {proxy+} NONE', 'POST console NONE', 'POST {proxy+} NONE']);
    expect(sources).toHaveLength(4);
    for (const method of ['GET', 'POST']) {
      expect(sources).toContainEqual(expect.stringContaining(`/${method}/console"`));
      expect(sources).toContainEqual(expect.stringContaining(`/${method}/console/*`));
    }
    expect(outputs.ConsoleUrl.Value['Fn::Join'][1].join('')).toContain('/console/');
  });
});
