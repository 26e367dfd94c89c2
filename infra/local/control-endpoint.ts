/**
 * The runner's control endpoint: what the CLIs (cli/) and tools of your own call on a running stack,
 * on 127.0.0.1 with the bearer token in stack.json. `GET /info` (stack.json), `GET /clock`,
 * `POST /clock {"to": instant} | {"by": "+7d"}` (400 unreadable, 409 backwards), `POST /invoke/{fn}`,
 * `POST /schedule/{rule}?at=`. It also answers the AWS SDK calls of functions to services the stack
 * does not emulate (`/not-emulated`), so they fail at once instead of reaching AWS.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { listenOnLoopback, loopbackEndpoint } from './loopback-server';
import { ClockMoveRefused, InvalidClockTarget, type LocalClock } from './local-clock';

/** What the endpoint drives: the running stack (runner.ts's LocalStack), as far as the routes reach. */
export interface ControlledStack {
  info: unknown;
  clock: Pick<LocalClock, 'state' | 'nowMs'>;
  moveClock(to: string): Promise<unknown>;
  invoke(functionName: string, event: unknown): Promise<unknown>;
  fireSchedule(ruleName: string, at?: Date): Promise<unknown>;
}

/** A function or schedule the stack does not have: 404. */
export class NotFound extends Error {}

export interface Control {
  url: string;
  token: string;
  setHandler(handler: (method: string, path: string, query: URLSearchParams, body: string) => Promise<{ status: number; body: unknown }>): void;
  close(): Promise<void>;
}

export async function startControl(port: number): Promise<Control> {
  const token = randomBytes(24).toString('base64url');
  let handler: Parameters<Control['setHandler']>[0] | undefined;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
      const url = new URL(req.url ?? '/', 'http://localhost');
      const reply = (status: number, body: unknown, type = 'application/json') => {
        res.writeHead(status, { 'content-type': type });
        res.end(JSON.stringify(body));
      };
      if (url.pathname.startsWith('/not-emulated')) {
        // An SDK call to a service with no emulator: say so in the shape AWS JSON-protocol clients read.
        const target = String(req.headers['x-amz-target'] ?? req.headers['authorization'] ?? 'unknown');
        const service = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(target)?.[1] ?? target.split('.')[0];
        return reply(501, { __type: 'NotEmulatedLocally', message: `${service ?? 'This AWS service'} is not emulated by the local stack (only DynamoDB, SQS and SNS)` }, 'application/x-amz-json-1.1');
      }
      if (req.headers.authorization !== `Bearer ${token}`) return reply(401, { message: 'missing or wrong control token (see stack.json)' });
      if (!handler) return reply(503, { message: 'starting' });
      try {
        const answer = await handler(req.method ?? 'GET', url.pathname, url.searchParams, Buffer.concat(chunks).toString('utf8'));
        reply(answer.status, answer.body);
      } catch (error) {
        reply(error instanceof NotFound ? 404 : 500, { message: (error as Error).message });
      }
    })();
  });
  await listenOnLoopback(server, port);
  const { url, stop } = loopbackEndpoint(server);
  return { url, token, setHandler: (h) => (handler = h), close: stop };
}

/** The routes: `GET /info`, `GET /clock`, `POST /clock`, `POST /invoke/{function}`, `POST /schedule/{rule}?at=`. */
export function controlHandler(stack: ControlledStack): Parameters<Control['setHandler']>[0] {
  return async (method, path, query, body) => {
    const [, action, name] = path.split('/').map(decodeURIComponent);
    if (method === 'GET' && action === 'info') return { status: 200, body: stack.info };
    if (method === 'GET' && action === 'clock') return { status: 200, body: stack.clock.state() };
    if (method === 'POST' && action === 'clock') {
      const asked = (body.trim() === '' ? {} : JSON.parse(body)) as { to?: unknown; by?: unknown };
      const to = typeof asked.to === 'string' ? asked.to : typeof asked.by === 'string' ? (asked.by.startsWith('+') ? asked.by : `+${asked.by}`) : undefined;
      if (to === undefined) return { status: 400, body: { message: 'send {"to": "<instant>"} or {"by": "+7d"}' } };
      try {
        return { status: 200, body: await stack.moveClock(to) };
      } catch (error) {
        if (error instanceof InvalidClockTarget) return { status: 400, body: { message: error.message } };
        if (error instanceof ClockMoveRefused) return { status: 409, body: { message: error.message } };
        throw error;
      }
    }
    if (method === 'POST' && action === 'invoke' && name) {
      return { status: 200, body: await stack.invoke(name, body.trim() === '' ? {} : JSON.parse(body)) };
    }
    if (method === 'POST' && action === 'schedule' && name) {
      const at = query.get('at');
      const time = at ? new Date(at) : new Date(stack.clock.nowMs());
      if (Number.isNaN(time.getTime())) return { status: 400, body: { message: `--at ${at} is not an ISO time` } };
      return { status: 200, body: await stack.fireSchedule(name, time) };
    }
    return { status: 404, body: { message: `no ${method} ${path}` } };
  };
}
