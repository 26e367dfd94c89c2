import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { VerifyToken } from '#lib/auth/token-verifier';
import type { Clock } from '#lib/clock';
import type { HttpResponse } from '#lib/http/problem';
import { Router, type ApiRequest, type RequestFacts } from '#lib/http/router';
import { DynamoProposalStore } from '#lib/matching/dynamo-proposal-store';
import { DynamoOccupancyReader } from '#lib/placements/dynamo-occupancy-reader';
import { DynamoOverrideLog } from '#lib/placements/dynamo-override-log';
import { DynamoPlacementStore } from '#lib/placements/dynamo-placement-store';
import { ManagerDecisions } from '#lib/placements/manager-decisions';
import { DynamoReferralViews } from '#lib/referrals/dynamo-referral-views';
import { DynamoLedger } from '#lib/ledger/dynamo-ledger';
import type { JournalPublisher } from '#lib/ledger/sqs-journal-publisher';
import { DynamoAwardStore } from '#lib/section17/dynamo-award-store';
import { DEFAULT_GUIDANCE } from '#lib/section17/guidance';
import { Section17Service } from '#lib/section17/section17-service';
import { DynamoInvoiceStore } from '#lib/invoicing/dynamo-invoice-store';
import type { InvoiceJobQueue } from '#lib/invoicing/jobs';
import { INVOICING_SETTINGS } from '#lib/invoicing/settings';
import { DynamoEstateStore } from '#lib/estate/dynamo-estate-store';
import { DynamoGoLiveReader } from '#lib/go-live/dynamo-go-live-reader';
import { GoLiveImport } from '#lib/go-live/go-live-import';
import { DynamoKpiBook } from '#lib/placements/dynamo-kpi-book';
import { dynamoKpiSources } from '#lib/kpis/dynamo-kpi-sources';
import { KpiService } from '#lib/kpis/kpi-service';
import type { VoidBedCheckRequester } from '#lib/void-beds/check-request';
import { managerRoutes } from './routes';
import { randomUUID } from 'node:crypto';
import { DynamoBillableSource } from '#lib/invoicing/dynamo-billable-source';
import { DynamoDeliveryLog } from '#lib/outbound/dynamo-delivery-log';
import { DynamoPaymentsStore } from '#lib/payments/dynamo-payments-store';
import { PaymentsService } from '#lib/payments/payments-service';
import { DynamoNotificationOutbox } from '#lib/placements/dynamo-notification-outbox';
import type { DeliveryRequester } from '#lib/contracts/delivery-requests';
import type { ApiServices } from './services';

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
    kpis: new KpiService(dynamoKpiSources({ estate: new DynamoEstateStore(db, tables.estate), books: new DynamoKpiBook(db, tables.placements), ledger, invoices })),
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

/** The manager API: one request in, one response out; refusals are thrown as StatusErrors for the edge to map. */
export class ManagerApi {
  private readonly router = new Router(managerRoutes);

  constructor(
    private readonly verify: VerifyToken,
    private readonly services: ApiServices,
  ) {}

  get routes() {
    return this.router.routes;
  }

  async handle(request: ApiRequest, note?: (facts: RequestFacts) => void): Promise<HttpResponse> {
    return (await this.router.dispatch(request, this.verify, this.services, note)).response;
  }
}
