import { ManagerApi, managerApiServices } from '#lib/api/manager-api';
import { createTokenVerifier } from '#lib/auth/token-verifier';
import { documentClient, sqsClient } from '#lib/aws/clients';
import { stackClock } from '#lib/stack-clock';
import { apiConfigSchema } from '#lib/config';
import { SqsInvoiceJobs } from '#lib/invoicing/sqs-invoice-jobs';
import { SqsJournalPublisher } from '#lib/ledger/sqs-journal-publisher';
import { SqsVoidBedChecks } from '#lib/void-beds/sqs-void-bed-checks';
import { SqsDeliveryRequests } from '#lib/outbound/sqs-delivery-requests';
import { functionKit, httpFunction } from '#functions/kit/index';

const kit = functionKit('api', apiConfigSchema);
const { config, logger } = kit;
const sqs = sqsClient();
const api = new ManagerApi(
  createTokenVerifier({ ...config.oidc, clock: stackClock }),
  managerApiServices(
    documentClient(),
    {
      estate: config.estateTable,
      referrals: config.referralsTable,
      placements: config.placementsTable,
      section17: config.section17Table,
      ledger: config.ledgerTable,
      invoices: config.invoicesTable,
      deliveries: config.deliveriesTable,
      payments: config.paymentsTable,
    },
    {
      ledgerPostings: new SqsJournalPublisher(sqs, config.ledgerPostingsQueueUrl),
      invoiceJobs: new SqsInvoiceJobs(sqs, config.invoiceJobsQueueUrl),
      deliveries: new SqsDeliveryRequests(sqs, config.deliveriesQueueUrl),
      // Best effort after the decision is committed: the daily void-bed check is the safety net.
      voidBedChecks: new SqsVoidBedChecks(sqs, config.voidBedChecksQueueUrl, (error, check) =>
        logger.warn('void-bed check not queued; the daily check will find the bed', { placementId: check.placementId, bedIds: check.bedIds, error: error as Error }),
      ),
    },
    stackClock,
  ),
);

/** The manager API: the route template and the caller's staff id go to the log line, never the path or body. */
export const handler = httpFunction(kit, (request, annotate) => api.handle(request, annotate), { metric: 'ManagerApiRequests' });
