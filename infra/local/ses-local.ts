/**
 * Amazon SES (v1 and v2 APIs) on 127.0.0.1 for the local stack and the tests: the npm package
 * `aws-ses-v2-local` keeps every e-mail a function sends (attachments included) in memory, shows
 * them in a web viewer at its root URL and returns them from `GET /store`. Nothing is forwarded:
 * the package can relay to an SMTP server named in SMTP_TRANSPORT, so that variable is removed
 * before it starts, and a sent e-mail never leaves the machine.
 *
 * Started by the runner when the template has SES resources or a function allowed to send e-mail;
 * functions then get `AWS_ENDPOINT_URL_SESV2` (and `_SES`) pointing here.
 */
import type { Server } from 'node:http';
import * as sesPackage from 'aws-ses-v2-local';
import { LOOPBACK } from './constants';
import { loopbackEndpoint } from './loopback-server';
import type { CfnTemplate } from './template';

export interface SesLocal {
  /** The endpoint (and the viewer), e.g. `http://127.0.0.1:45123`. */
  url: string;
  stop(): Promise<void>;
}

/** One e-mail as `GET /store` returns it. */
export interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  attachments: Array<{ filename: string; contentType: string; size: number; content: string }>;
  at: number;
}

/** Whether the stack sends e-mail: an SES resource, or a policy granting an `ses:` action. */
export function templateSendsEmail(template: CfnTemplate): boolean {
  return Object.values(template.Resources).some((r) => r.Type.startsWith('AWS::SES::') || (r.Type === 'AWS::IAM::Policy' && /"ses:/.test(JSON.stringify(r.Properties ?? {}))));
}

/**
 * The package is CommonJS with `exports.default`: vitest's interop hands over the function, Node's own
 * (tsx under `npm start`) the exports object. Either way, the function.
 */
function sesServer(): typeof sesPackage.default {
  const namespace = sesPackage as unknown as { default: typeof sesPackage.default | { default: typeof sesPackage.default } };
  return typeof namespace.default === 'function' ? namespace.default : namespace.default.default;
}

export async function startSesLocal(port = 0): Promise<SesLocal> {
  // The package relays to SMTP when this is set: never, here.
  delete process.env.SMTP_TRANSPORT;
  const server: Server = await sesServer()({ host: LOOPBACK, port });
  const emulator = loopbackEndpoint(server);
  // The package keeps one store for the whole process, not one per server: a new emulator starts empty,
  // whatever an earlier one in this process held (the stack's test files share processes).
  const cleared = await fetch(`${emulator.url}/clear-store`, { method: 'POST' });
  if (!cleared.ok) {
    await emulator.stop();
    throw new Error(`SES emulator answered ${cleared.status} to clearing its store`);
  }
  return emulator;
}

/** Every e-mail the emulator holds, oldest first. */
export async function storedEmails(url: string): Promise<StoredEmail[]> {
  const response = await fetch(`${url}/store`);
  if (!response.ok) throw new Error(`SES emulator answered ${response.status}`);
  return ((await response.json()) as { emails: StoredEmail[] }).emails;
}
