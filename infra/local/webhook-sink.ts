/**
 * Where the local stack's outbound webhooks go: the invoice endpoints in reference data and the
 * regional inbox's URL are placeholders under `.example`, so locally every outbound delivery is
 * sent here instead (functions get OUTBOUND_WEBHOOK_BASE_URL_OVERRIDE; the path is kept). It
 * answers 204 and prints one line per delivery: the path, `webhook-id` and the event's type,
 * never the body (it may carry a document).
 */
import { createServer, type Server } from 'node:http';
import { listenOnLoopback, loopbackEndpoint } from './loopback-server';

export interface WebhookSink {
  url: string;
  stop(): Promise<void>;
}

export async function startWebhookSink(log: (line: string) => void, port = 0): Promise<WebhookSink> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let type = '?';
      try {
        type = String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type?: unknown }).type ?? '?');
      } catch {
        // not JSON: reported as ?
      }
      log(`received ${req.method} ${req.url} webhook-id ${String(req.headers['webhook-id'] ?? '-')} type ${type}`);
      res.writeHead(204).end();
    });
  });
  await listenOnLoopback(server, port);
  return loopbackEndpoint(server);
}
