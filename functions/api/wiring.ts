/**
 * The manager API's composition root: its services over the stack's tables and queues, as the api
 * function builds them and the console function too (it serves the same API in process).
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '#lib/clock';
import type { ApiConfig } from '#lib/config';
import { DynamoProposalStore } from '#lib/matching/dynamo-proposal-store';
import { DynamoOccupancyReader } from '#lib/placements/dynamo-occupancy-reader';
import { DynamoOverrideLog } from '#lib/placements/dynamo-override-log';
import { DynamoPlacementStore } from '#lib/placements/dynamo-placement-store';
import { ManagerDecisions } from '#lib/placements/manager-decisions';
import { DynamoReferralViews } from '#lib/referrals/dynamo-referral-views';
import { DynamoLedger } from '#lib/ledger/dynamo-ledger';
import { SqsJournalPublisher, type JournalPublisher } from '#lib/ledger/sqs-journal-publisher';
import { DynamoAwardStore } from '#lib/section17/dynamo-award-store';
import { DEFAULT_GUIDANCE } from '#lib/section17/guidance';
import { Section17Service } from '#lib/section17/section17-service';
import { DynamoInvoiceStore } from '#lib/invoicing/dynamo-invoice-store';
import type { InvoiceJobQueue } from '#lib/invoicing/jobs';
import { SqsInvoiceJobs } from '#lib/invoicing/sqs-invoice-jobs';
import { INVOICING_SETTINGS } from '#lib/invoicing/settings';
import { DynamoEstateStore } from '#lib/estate/dynamo-estate-store';
import { DynamoGoLiveReader } from '#lib/go-live/dynamo-go-live-reader';
import { GoLiveImport } from '#lib/go-live/go-live-import';
import { DynamoKpiBook } from '#lib/placements/dynamo-kpi-book';
import { dynamoKpiSources } from '#lib/kpis/dynamo-kpi-sources';
import { EstateCache } from '#lib/estate/estate-cache';
import { KpiService } from '#lib/kpis/kpi-service';
import type { VoidBedCheckRequest, VoidBedCheckRequester } from '#lib/void-beds/check-request';
import { SqsVoidBedChecks } from '#lib/void-beds/sqs-void-bed-checks';
import { randomUUID } from 'node:crypto';
import { DynamoBillableSource } from '#lib/invoicing/dynamo-billable-source';
import { DynamoDeliveryLog } from '#lib/outbound/dynamo-delivery-log';
import { SqsDeliveryRequests } from '#lib/outbound/sqs-delivery-requests';
import { DynamoPaymentsStore } from '#lib/payments/dynamo-payments-store';
import { PaymentsService } from '#lib/payments/payments-service';
import { DynamoNotificationOutbox } from '#lib/placements/dynamo-notification-outbox';
import type { DeliveryRequester } from '#lib/contracts/delivery-requests';
import type { ApiServices } from '#lib/api/services';

export interface ManagerApiTables {
  estate: string;
  referrals: string;
  placements: string;
  section17: string;
  ledger: string;
  invoices: string;
  /** The delivery log of outbound messages. */
  deliveries: string;
  /** Remittances, allocations and documents' tallies. */
  payments: string;
}

export interface ManagerApiQueues {
  /** Where re-sends of documents are queued. */
  deliveries: DeliveryRequester;
  /** Where approved Section 17 awards send their journals. */
  ledgerPostings: JournalPublisher;
  /** Where requested invoicing runs are queued. */
  invoiceJobs: InvoiceJobQueue;
  /** Where ending or moving a placement asks for its bed to be checked for a void. */
  voidBedChecks: VoidBedCheckRequester;
}

export function managerApiServices(db: DynamoDBDocumentClient, tables: ManagerApiTables, queues: ManagerApiQueues, clock: Clock): ApiServices {
  const store = new DynamoPlacementStore(db, tables);
  const reads = new DynamoOccupancyReader(db, tables);
  const ledger = new DynamoLedger(db, tables.ledger);
  // The API only reads documents: the prefix matters to issuing alone.
  const invoices = new DynamoInvoiceStore(db, tables.invoices, INVOICING_SETTINGS.prefix);
  return {
    store,
    // Each decision's notices for the regional inbox go to the deliveries queue as soon as it is committed.
    decisions: new ManagerDecisions(store, clock, undefined, new DynamoNotificationOutbox(db, tables.placements, queues.deliveries, clock)),
    referrals: new DynamoReferralViews(db, tables.referrals, new DynamoProposalStore(db, tables.referrals)),
    reads,
    overrides: new DynamoOverrideLog(db, tables.placements),
    section17: new Section17Service(new DynamoAwardStore(db, tables.section17), queues.ledgerPostings, DEFAULT_GUIDANCE, clock),
    ledger,
    invoices,
    invoiceJobs: queues.invoiceJobs,
    kpis: new KpiService(dynamoKpiSources({ estate: new EstateCache(new DynamoEstateStore(db, tables.estate)), books: new DynamoKpiBook(db, tables.placements), ledger, invoices })),
    voidBedChecks: queues.voidBedChecks,
    goLive: new GoLiveImport(new DynamoGoLiveReader(db, tables), store, clock),
    deliveries: { log: new DynamoDeliveryLog(db, tables.deliveries), requests: queues.deliveries },
    payments: new PaymentsService({
      store: new DynamoPaymentsStore(db, tables.payments),
      documents: { get: (number, consistent) => invoices.get(number, consistent), councilDocuments: (la) => invoices.councilDocuments(la) },
      journals: queues.ledgerPostings,
      clock,
      newId: randomUUID,
      councils: () => new DynamoBillableSource(db, tables.placements, INVOICING_SETTINGS.extraVatCodes).placingCouncils(),
    }),
    clock,
  };
}

/** The tables of the API's configuration. */
export function managerApiTables(config: Omit<ApiConfig, 'oidc'>): ManagerApiTables {
  return {
    estate: config.estateTable,
    referrals: config.referralsTable,
    placements: config.placementsTable,
    section17: config.section17Table,
    ledger: config.ledgerTable,
    invoices: config.invoicesTable,
    deliveries: config.deliveriesTable,
    payments: config.paymentsTable,
  };
}

/**
 * The API's queues. Asking for a void-bed check is best effort after the decision is committed (the
 * daily check is the safety net): one that is not queued is told to `checkNotQueued`, not thrown.
 */
export function managerApiQueues(sqs: SQSClient, config: Omit<ApiConfig, 'oidc'>, checkNotQueued: (error: unknown, check: VoidBedCheckRequest) => void): ManagerApiQueues {
  return {
    ledgerPostings: new SqsJournalPublisher(sqs, config.ledgerPostingsQueueUrl),
    invoiceJobs: new SqsInvoiceJobs(sqs, config.invoiceJobsQueueUrl),
    deliveries: new SqsDeliveryRequests(sqs, config.deliveriesQueueUrl),
    voidBedChecks: new SqsVoidBedChecks(sqs, config.voidBedChecksQueueUrl, checkNotQueued),
  };
}
