import type { Clock } from '#lib/clock';
import type { GoLiveImport } from '#lib/go-live/go-live-import';
import { routesFor } from '#lib/http/router';
import type { DynamoOccupancyReader } from '#lib/placements/dynamo-occupancy-reader';
import type { DynamoOverrideLog } from '#lib/placements/dynamo-override-log';
import type { ManagerDecisions } from '#lib/placements/manager-decisions';
import type { PlacementStore } from '#lib/placements/placement-store';
import type { DynamoReferralViews } from '#lib/referrals/dynamo-referral-views';
import type { DynamoLedger } from '#lib/ledger/dynamo-ledger';
import type { Section17Service } from '#lib/section17/section17-service';
import type { DynamoInvoiceStore } from '#lib/invoicing/dynamo-invoice-store';
import type { InvoiceJobQueue } from '#lib/invoicing/jobs';
import type { KpiService } from '#lib/kpis/kpi-service';
import type { VoidBedCheckRequester } from '#lib/void-beds/check-request';

/** What the manager API's routes use, built once per container. */
export interface ApiServices {
  decisions: ManagerDecisions;
  store: PlacementStore;
  referrals: DynamoReferralViews;
  reads: DynamoOccupancyReader;
  /** Overrides of the hard rules, by month (the override report). */
  overrides: DynamoOverrideLog;
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
  /** The go-live import of the estate and its placements from CSV files. */
  goLive: GoLiveImport;
  clock: Clock;
}

/** Declares one of the manager API's routes. */
export const apiRoute = routesFor<ApiServices>();
