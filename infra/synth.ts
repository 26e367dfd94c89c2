import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { VALIDATE_AGAINST_DEFAULT_RULES } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { ConsoleSignIn } from './areas/console';
import type { ManagerIdentityProvider } from './areas/manager-api';
import { CaredForStack } from './stack';

/** CDK context key listing the stacks whose assets are bundled; `[]` bundles none. */
const BUNDLING_STACKS = 'aws:cdk:bundling-stacks';

export interface SynthOptions {
  /**
   * Bundle function code with esbuild. `false` skips bundling, which takes
   * synthesis from seconds to well under one; the template is the same except
   * for asset hashes.
   */
  readonly bundle: boolean;
  /**
   * Also run CDK's built-in CloudFormation validation (schema, linting and common misconfigurations),
   * with its findings failing synthesis as cdk-nag's do (`@aws-cdk/core:validateAgainstDefaultRules`,
   * CDK's recommended value; unset, findings are only warnings). About 2.5 s and 5 s of CPU a synth,
   * so the local runner and the tests' synths leave it out and tests/infra/platform.test.ts runs it once.
   * @default - the value of `bundle`: on for `cdk synth`, off for fast template reads
   */
  readonly validateCloudFormation?: boolean;
  /**
   * Context values, as `cdk -c key=value` would give them: `webAclArn`, `alarmEmail`, `local`, `voidAlertEmail`,
   * `oidcIssuer`, `oidcAudience`, `oidcJwksUrl`, and the console's `consoleClientId`, `oidcAuthorizationUrl`,
   * `oidcTokenUrl`, `oidcEndSessionUrl`.
   * @default - none
   */
  readonly context?: Record<string, string>;
  /**
   * Built to deploy (the CDK app that `cdk synth` and `cdk deploy` run): refuses to synthesize without
   * the `alarmEmail` context, so no deployment's alarms go unheard, unless the context says `local=true`
   * (LocalStack, or a synth to read). Tests, benches and the local runner build the stack directly.
   * @default false
   */
  readonly forDeployment?: boolean;
  /**
   * Where the cloud assembly (template, bundled assets, validation report) is written.
   * @default - the CLI's directory under `cdk synth`, otherwise a new temporary directory
   */
  readonly outdir?: string;
}

/** Context a deployment needs is missing: the message says what to pass. */
export class DeploymentContextError extends Error {
  override readonly name = 'DeploymentContextError';
}

/**
 * Builds the app and its one stack, with cdk-nag's AwsSolutions checks
 * registered so that synthesis fails on any unacknowledged finding. The CDK
 * app (infra/app.ts), the tests and the local runner all build it here, so
 * they cannot drift apart.
 */
export function buildStack(opts: SynthOptions): { app: App; stack: CaredForStack } {
  const validateCloudFormation = opts.validateCloudFormation ?? opts.bundle;
  const app = new App({
    outdir: opts.outdir,
    builtinCloudFormationValidation: validateCloudFormation,
    context: validateCloudFormation ? { [VALIDATE_AGAINST_DEFAULT_RULES]: true, ...opts.context } : opts.context,
    postCliContext: opts.bundle ? undefined : { [BUNDLING_STACKS]: [] },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  const alarmEmail = contextString(app, 'alarmEmail');
  if (opts.forDeployment && !alarmEmail && !contextFlag(app, 'local')) {
    throw new DeploymentContextError(
      'alarmEmail is required to deploy: pass -c alarmEmail=ops@council.example (every operations alarm e-mails it; ' +
        'confirm the subscription from that inbox). For LocalStack, or a synth only to read, pass -c local=true.',
    );
  }
  const stack = new CaredForStack(app, 'CaredFor', {
    webAclArn: contextString(app, 'webAclArn'),
    alarmEmail,
    voidAlertEmail: contextString(app, 'voidAlertEmail'),
    managerIdentityProvider: identityProviderFromContext(app),
    consoleSignIn: consoleSignInFromContext(app),
    regionalInboxUrl: contextString(app, 'regionalInboxUrl'),
  });
  return { app, stack };
}

/**
 * The stack's CloudFormation template, as `cdk synth` writes it. Throws on
 * any unacknowledged cdk-nag finding. Leaves no files behind unless given an
 * `outdir`; use `buildStack` to keep the bundled assets.
 */
export function synthesizeTemplate(opts: SynthOptions): Record<string, any> {
  const outdir = opts.outdir ?? mkdtempSync(join(tmpdir(), 'cared-for-synth-'));
  try {
    const { app, stack } = buildStack({ ...opts, outdir });
    return app.synth().getStackArtifact(stack.artifactId).template;
  } finally {
    if (!opts.outdir) rmSync(outdir, { recursive: true, force: true });
  }
}

function contextString(app: App, key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`Context ${key} must be a string`);
  return value;
}

/** `-c local=true` (the CLI gives the string), or `true` from cdk.json. */
function contextFlag(app: App, key: string): boolean {
  const value: unknown = app.node.tryGetContext(key);
  return value === true || value === 'true';
}

/** `-c oidcIssuer=… -c oidcAudience=… -c oidcJwksUrl=…`: all three, or none (the placeholder that refuses every token). */
function identityProviderFromContext(app: App): ManagerIdentityProvider | undefined {
  const issuer = contextString(app, 'oidcIssuer');
  const audience = contextString(app, 'oidcAudience');
  const jwksUrl = contextString(app, 'oidcJwksUrl');
  if (!issuer && !audience && !jwksUrl) return undefined;
  if (!issuer || !audience || !jwksUrl) throw new Error('Give all of the contexts oidcIssuer, oidcAudience and oidcJwksUrl, or none');
  return { issuer, audience, jwksUrl };
}

/** `-c consoleClientId=… -c oidcAuthorizationUrl=… -c oidcTokenUrl=… [-c oidcEndSessionUrl=…]`, or none (the placeholder). */
function consoleSignInFromContext(app: App): ConsoleSignIn | undefined {
  const clientId = contextString(app, 'consoleClientId');
  const authorizationUrl = contextString(app, 'oidcAuthorizationUrl');
  const tokenUrl = contextString(app, 'oidcTokenUrl');
  const endSessionUrl = contextString(app, 'oidcEndSessionUrl');
  if (!clientId && !authorizationUrl && !tokenUrl) return undefined;
  if (!clientId || !authorizationUrl || !tokenUrl) throw new Error('Give all of the contexts consoleClientId, oidcAuthorizationUrl and oidcTokenUrl, or none');
  return { clientId, authorizationUrl, tokenUrl, ...(endSessionUrl ? { endSessionUrl } : {}) };
}
