import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateSecret } from '#infra/local/secrets';
import { templateSendsEmail } from '#infra/local/ses-local';
import { endpointIds, endpointKeys, endpointSecrets } from '#lib/outbound/endpoint-secrets';
import { retryDelaySeconds } from '#lib/outbound/outbound-sender';
import { DeliveryRequest, documentMessageId } from '#lib/contracts/delivery-requests';
import { decodeSecret, sign } from '#lib/webhooks/standard-webhooks';
import { readEvent } from '#tests/support/webhook';

describe('outbound signing secrets', () => {
  const master = generateSecret();
  const body = JSON.stringify({ type: 'invoice.issued', data: { number: 'NT-2627-000007' } });
  const signed = (keys: Buffer[], id = 'msg_NT-2627-000007_webhook_issued', ts = 1_800_000_000) => ({
    'webhook-id': id,
    'webhook-timestamp': String(ts),
    'webhook-signature': keys.map((k) => `v1,${sign(k, id, String(ts), Buffer.from(body))}`).join(' '),
  });

  it('each endpoint’s secret (given to its owner) verifies our deliveries with the Standard Webhooks library, and no other endpoint’s does', () => {
    const newcastle = endpointSecrets(master, endpointIds.councilInvoices('391'));
    const inbox = endpointSecrets(master, endpointIds.regionalInbox);
    expect(newcastle[0]).toMatch(/^whsec_/);
    expect(newcastle[0]).not.toBe(inbox[0]);
    const headers = signed(endpointKeys([decodeSecret(master)], endpointIds.councilInvoices('391')));
    const now = () => new Date(1_800_000_000 * 1000);
    const verify = (secret: string) => {
      const webhook = new Webhook(secret);
      // The library reads the clock itself: fix it for the check.
      const realNow = Date.now;
      Date.now = () => now().getTime();
      try {
        return webhook.verify(body, headers);
      } finally {
        Date.now = realNow;
      }
    };
    expect(verify(newcastle[0]!)).toEqual(JSON.parse(body));
    expect(() => verify(inbox[0]!)).toThrow();
  });

  it('during a rotation every delivery carries a signature from each master, so both old and new endpoint secrets verify it', () => {
    const next = generateSecret();
    const keys = endpointKeys([decodeSecret(master), decodeSecret(next)], endpointIds.regionalInbox);
    const headers = signed(keys);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    const [oldSecret, newSecret] = endpointSecrets(`${master} ${next}`, endpointIds.regionalInbox);
    for (const secret of [oldSecret!, newSecret!]) {
      const realNow = Date.now;
      Date.now = () => 1_800_000_000 * 1000;
      try {
        expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
      } finally {
        Date.now = realNow;
      }
    }
  });
});

describe('delivery requests and retries', () => {
  it('the sample deliveries queue batch (events/delivery-sender/requests.json) is what the sender takes: a document, a reminder, a notice', () => {
    const batch = JSON.parse(readEvent('delivery-sender/requests.json')) as { Records: Array<{ body: string }> };
    expect(batch.Records.map((r) => DeliveryRequest.parse(JSON.parse(r.body)).kind)).toEqual(['document', 'document', 'notification']);
  });

  it('one message id per document, channel and purpose; a re-send gets its own', () => {
    expect(documentMessageId('NT-2627-000007', 'email', 'issued')).toBe('msg_NT-2627-000007_email_issued');
    expect(documentMessageId('NT-2627-000007', 'webhook', 'resend', 'a1b2c3d4')).toBe('msg_NT-2627-000007_webhook_resend_a1b2c3d4');
    expect(DeliveryRequest.safeParse({ kind: 'document', messageId: 'msg_x', number: 'NT-2627-000007', channel: 'fax', purpose: 'issued' }).success).toBe(false);
    expect(DeliveryRequest.safeParse({ kind: 'document', messageId: 'x y', number: 'NT-2627-000007', channel: 'email', purpose: 'issued' }).success).toBe(false);
  });

  it('backs off doubling from the base, at most 15 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelaySeconds(n, 60))).toEqual([60, 120, 240, 480, 900, 900, 900]);
    expect(retryDelaySeconds(3, 0)).toBe(0);
  });
});

describe('the local SES emulator', () => {
  it('runs when the template sends e-mail: an SES resource or a policy allowing an ses: action', () => {
    expect(templateSendsEmail({ Resources: { A: { Type: 'AWS::SQS::Queue' } } })).toBe(false);
    expect(templateSendsEmail({ Resources: { A: { Type: 'AWS::SES::ConfigurationSet' } } })).toBe(true);
    expect(templateSendsEmail({ Resources: { P: { Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: { Statement: [{ Action: 'ses:SendEmail' }] } } } } })).toBe(true);
  });
});
