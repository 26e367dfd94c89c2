import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { documentClient } from '#lib/aws/clients';
import { stackClock } from '#lib/stack-clock';
import { ledgerPosterConfigSchema } from '#lib/config';
import { DynamoLedger } from '#lib/ledger/dynamo-ledger';
import { Journal } from '#lib/ledger/journal';
import { functionKit, sqsFunction } from '#functions/kit/index';

const kit = functionKit('ledger-poster', ledgerPosterConfigSchema);
const ledger = new DynamoLedger(documentClient({ budget: 'background' }), kit.config.ledgerTable);

/** One posting request: a journal, posted once however often it is delivered (keyed on its idempotency key). */
export const handler = sqsFunction(kit, {
  body: Journal,
  what: 'the journal',
  async handle(journal, record) {
    const result = await ledger.post(journal, new Date(stackClock.nowMs()).toISOString());
    kit.logger.info('journal', { idempotencyKey: journal.idempotencyKey, source: journal.source, result, messageId: record.messageId });
    kit.metrics.addMetric(result === 'posted' ? 'JournalsPosted' : 'JournalsReplayed', MetricUnit.Count, 1);
  },
});
