import type { Clock } from '../clock';
import { routesFor } from '../http/router';
import type { DynamoOccupancyReader } from '../placements/dynamo-occupancy-reader';
import type { ManagerDecisions } from '../placements/manager-decisions';
import type { PlacementStore } from '../placements/placement-store';
import type { DynamoReferralViews } from '../referrals/dynamo-referral-views';
import type { DynamoLedger } from '../ledger/dynamo-ledger';
import type { Section17Service } from '../section17/section17-service';
import type { DynamoInvoiceStore } from '../invoicing/dynamo-invoice-store';
import type { InvoiceJobQueue } from '../invoicing/jobs';
import type { KpiService } from '../kpis/kpi-service';
import type { VoidBedCheckRequester } from '../void-beds/check-request';

/** What the manager API's routes use, built once per container. */
export interface ApiServices {
  decisions: ManagerDecisions;
  store: PlacementStore;
  referrals: DynamoReferralViews;
  reads: DynamoOccupancyReader;
  section17: Section17Service;
  ledger: DynamoLedger;
  /** Issued invoices and credit notes, and runs' progress (read only). */
  invoices: DynamoInvoiceStore;
  /** Where a requested invoicing run is queued. */
  invoiceJobs: InvoiceJobQueue;
  /** The council's KPIs for a period. */
  kpis: KpiService;
  /** Asks the void-bed monitor to check a bed now (best effort: never throws; the daily check is the safety net). */
  voidBedChecks: VoidBedCheckRequester;
  clock: Clock;
}

/** Declares one of the manager API's routes. */
export const apiRoute = routesFor<ApiServices>();
