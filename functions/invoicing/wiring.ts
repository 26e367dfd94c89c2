import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Clock } from '#lib/clock';
import { SqsJournalPublisher, type JournalPublisher } from '#lib/ledger/sqs-journal-publisher';
import type { DeliveryRequester } from '#lib/contracts/delivery-requests';
import { SqsDeliveryRequests } from '#lib/outbound/sqs-delivery-requests';
import { DynamoBillableSource } from '#lib/invoicing/dynamo-billable-source';
import { DynamoInvoiceStore } from '#lib/invoicing/dynamo-invoice-store';
import { InvoicingRuns } from '#lib/invoicing/invoicing-run';
import { INVOICING_SETTINGS } from '#lib/invoicing/settings';
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

/** The invoicing run wired to DynamoDB and SQS, as both invoicing functions (and the benchmark) build it. */
export function invoicingRuns(db: DynamoDBDocumentClient, sqs: SQSClient, wiring: InvoicingWiring, clock: Clock): InvoicingRuns {
  return new InvoicingRuns(
    {
      source: new DynamoBillableSource(db, wiring.placementsTable, INVOICING_SETTINGS.extraVatCodes, wiring.estateTable),
      store: new DynamoInvoiceStore(db, wiring.invoicesTable, wiring.prefix),
      jobs: new SqsInvoiceJobs(sqs, wiring.invoiceJobsQueueUrl),
      journals: wiring.ledgerPostingsQueueUrl ? new SqsJournalPublisher(sqs, wiring.ledgerPostingsQueueUrl) : NO_JOURNALS,
      deliveries: wiring.deliveriesQueueUrl ? new SqsDeliveryRequests(sqs, wiring.deliveriesQueueUrl) : NO_DELIVERIES,
      clock,
    },
    { paymentTermsDays: wiring.paymentTermsDays, ...(wiring.startMonth ? { startMonth: wiring.startMonth } : {}) },
  );
}
