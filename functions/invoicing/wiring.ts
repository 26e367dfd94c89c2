import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Clock } from '#lib/clock';
import { SqsJournalPublisher, type JournalPublisher } from '#lib/ledger/sqs-journal-publisher';
import type { DeliveryRequester } from '#lib/contracts/delivery-requests';
import { SqsDeliveryRequests } from '#lib/outbound/sqs-delivery-requests';
import { DynamoBillableSource } from '#lib/invoicing/dynamo-billable-source';
import { DynamoInvoiceRunStore } from '#lib/invoicing/dynamo-invoice-store';
import { InvoicingRuns } from '#lib/invoicing/invoicing-run';
import { startRun, type StartOutcome } from '#lib/invoicing/run-start';
import type { Month } from '#lib/time/calendar';
import { EXTRA_VAT_CODES } from '#lib/invoicing/settings';
import { SqsInvoiceJobs } from '#lib/invoicing/sqs-invoice-jobs';

export interface InvoicingWiring {
  placementsTable: string;
  /** Where homes' names are read for the documents' lines; the run function, which never drafts, has none. */
  estateTable?: string | undefined;
  invoicesTable: string;
  invoiceJobsQueueUrl: string;
  /** Where journals go; the invoicing-run function, which never numbers, has none. */
  ledgerPostingsQueueUrl?: string | undefined;
  /** Where issued documents are queued to be sent; like journals, only the builder has it. */
  deliveriesQueueUrl?: string | undefined;
  prefix: string;
  paymentTermsDays: number;
  startMonth?: string | undefined;
}

/** The run function never posts: numbering happens in the builder only. */
const NO_JOURNALS: JournalPublisher = {
  publish: async () => {
    throw new Error('this function posts no journals');
  },
};

const NO_DELIVERIES: DeliveryRequester = {
  request: async () => {
    throw new Error('this function sends no documents');
  },
};

function runStartDeps(db: DynamoDBDocumentClient, sqs: SQSClient, wiring: InvoicingWiring, clock: Clock) {
  return {
    source: new DynamoBillableSource(db, wiring.placementsTable, EXTRA_VAT_CODES, wiring.estateTable),
    store: new DynamoInvoiceRunStore(db, wiring.invoicesTable, wiring.prefix),
    jobs: new SqsInvoiceJobs(sqs, wiring.invoiceJobsQueueUrl),
    clock,
  };
}

/** The invoicing run wired to DynamoDB and SQS, as the builder (and the tests and benchmark) build it. */
export function invoicingRuns(db: DynamoDBDocumentClient, sqs: SQSClient, wiring: InvoicingWiring, clock: Clock): InvoicingRuns {
  return new InvoicingRuns(
    {
      ...runStartDeps(db, sqs, wiring, clock),
      journals: wiring.ledgerPostingsQueueUrl ? new SqsJournalPublisher(sqs, wiring.ledgerPostingsQueueUrl) : NO_JOURNALS,
      deliveries: wiring.deliveriesQueueUrl ? new SqsDeliveryRequests(sqs, wiring.deliveriesQueueUrl) : NO_DELIVERIES,
    },
    { paymentTermsDays: wiring.paymentTermsDays, ...(wiring.startMonth ? { startMonth: wiring.startMonth } : {}) },
  );
}

/** Only the start of a month's run (runs.start), for the scheduled function: none of the drafting and numbering. */
export function runStarter(db: DynamoDBDocumentClient, sqs: SQSClient, wiring: InvoicingWiring, clock: Clock): (month: Month) => Promise<StartOutcome> {
  const deps = runStartDeps(db, sqs, wiring, clock);
  const settings = wiring.startMonth ? { startMonth: wiring.startMonth } : {};
  return (month) => startRun(deps, settings, month);
}
