/**
 * The manager API's sign-in, locally: when a function verifies OIDC bearer tokens (its environment
 * has OIDC_JWKS_URL, see lib/config.ts), `npm start` runs the dev issuer from lib/auth/dev-issuer.ts on 127.0.0.1,
 * points the function's issuer and JWKS variables at it (the audience stays the template's), and
 * prints a token per role. The signing key and the issuer's port are kept under `<dataDir>/auth/`,
 * so tokens printed by one run still work after a restart. Tokens are issued at the stack's clock;
 * moving the clock issues them again (`reissue`), since the old ones may have expired by its time.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDevIssuer, type DevIssuer } from '#lib/auth/dev-issuer';
import type { Clock } from '#lib/clock';
import { ALL_ROLES } from '#lib/auth/roles';
import { ENV } from '#lib/config';

/** The variables of one function that configure token verification (and, for the console, sign-in), found by name. */
export interface OidcVariables {
  jwksUrl: string;
  issuer?: string;
  audience?: string;
  authorizationUrl?: string;
  tokenUrl?: string;
  endSessionUrl?: string;
}

/** A function verifies tokens when its environment has the JWKS URL variable of lib/config.ts. */
export function oidcVariables(environment: Record<string, string>): OidcVariables | undefined {
  if (!(ENV.oidcJwksUrl in environment)) return undefined;
  return {
    jwksUrl: ENV.oidcJwksUrl,
    ...(ENV.oidcIssuer in environment ? { issuer: ENV.oidcIssuer } : {}),
    ...(ENV.oidcAudience in environment ? { audience: ENV.oidcAudience } : {}),
    ...(ENV.oidcAuthorizationUrl in environment ? { authorizationUrl: ENV.oidcAuthorizationUrl } : {}),
    ...(ENV.oidcTokenUrl in environment ? { tokenUrl: ENV.oidcTokenUrl } : {}),
    ...(ENV.oidcEndSessionUrl in environment ? { endSessionUrl: ENV.oidcEndSessionUrl } : {}),
  };
}

export interface LocalAuth {
  issuer: string;
  jwksUrl: string;
  audience: string;
  /** A token per role, valid for the issuer's token lifetime from when they were issued (by the stack's clock). */
  tokens: Record<string, string>;
  /** Issues the tokens again, at the stack's clock now (after the clock moved). */
  reissue(): Promise<Record<string, string>>;
  /** The function's environment with its issuer and JWKS URL pointed at the dev issuer. */
  configure(environment: Record<string, string>): Record<string, string>;
  stop(): Promise<void>;
}

/** Starts the dev issuer if any of the environments verifies OIDC tokens; otherwise undefined. */
export async function startLocalAuth(environments: Array<Record<string, string>>, dataDir: string, clock: Clock): Promise<LocalAuth | undefined> {
  const verifying = environments.map((env) => ({ env, vars: oidcVariables(env) })).filter((e) => e.vars);
  if (verifying.length === 0) return undefined;
  const first = verifying[0]!;
  const audience = first.vars!.audience ? first.env[first.vars!.audience] : undefined;
  const keyDir = join(dataDir, 'auth');
  mkdirSync(keyDir, { recursive: true });
  const portFile = join(keyDir, 'port');
  const previousPort = existsSync(portFile) ? Number(readFileSync(portFile, 'utf8')) : 0;
  const start = (port: number) => startDevIssuer({ port, keyDir, clock, ...(audience ? { audience } : {}) });
  let issuer: DevIssuer;
  try {
    issuer = await start(previousPort);
  } catch {
    issuer = await start(0);
  }
  writeFileSync(portFile, String(new URL(issuer.issuer).port));
  const tokens: Record<string, string> = {};
  const reissue = async () => {
    for (const role of ALL_ROLES) tokens[role] = await issuer.tokenFor(role);
    return tokens;
  };
  await reissue();
  return {
    issuer: issuer.issuer,
    jwksUrl: issuer.jwksUrl,
    audience: issuer.audience,
    tokens,
    reissue,
    configure: (environment) => {
      const vars = oidcVariables(environment);
      if (!vars) return environment;
      return {
        ...environment,
        [vars.jwksUrl]: issuer.jwksUrl,
        ...(vars.issuer ? { [vars.issuer]: issuer.issuer } : {}),
        // The console signs people in at the dev issuer's role picker (lib/auth/dev-sign-in.ts).
        ...(vars.authorizationUrl ? { [vars.authorizationUrl]: issuer.authorizationUrl } : {}),
        ...(vars.tokenUrl ? { [vars.tokenUrl]: issuer.tokenUrl } : {}),
        ...(vars.endSessionUrl ? { [vars.endSessionUrl]: issuer.endSessionUrl } : {}),
      };
    },
    stop: () => issuer.stop(),
  };
}
