/**
 * `npm run send-referral -- <file.json> [--data-dir DIR]`: posts the file's bytes to the running
 * local stack's webhook as the regional commissioning inbox would, signed per Standard Webhooks
 * with the local secret, a fresh webhook-id and the stack's time (its clock may be set apart from the
 * wall clock, and the webhook checks the timestamp against it); prints the answer.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ClockState } from '#infra/local/local-clock';
import { signDelivery } from '#lib/webhooks/standard-webhooks';
import { control, run, runningStack } from './control';

run(async () => {
  const argv = process.argv.slice(2);
  const info = runningStack(argv);
  const [file] = argv;
  if (!file) throw new Error('usage: npm run send-referral -- <file.json>   (e.g. events/referrals/created.json)');
  if (!info.webhookUrl || !info.webhookSecret) throw new Error('the running stack has no webhook (no WebhookUrl output or no secret)');
  const body = readFileSync(file);
  const id = `msg_${randomUUID()}`;
  const { now } = await control<ClockState>(info, '/clock');
  const headers = signDelivery(info.webhookSecret, id, Math.floor(Date.parse(now) / 1000), body.toString('utf8'));
  const response = await fetch(info.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await response.text();
  console.log(`POST ${info.webhookUrl}  (webhook-id ${id})`);
  console.log(`${response.status} ${response.statusText}`);
  try {
    console.log(JSON.stringify(JSON.parse(text), null, 2));
  } catch {
    console.log(text);
  }
  return response.ok ? 0 : 1;
});
