import type { Clock } from '#lib/clock';
import type { GoLiveImport } from '#lib/go-live';
import type { OccupancyReads, OverrideLog } from '#lib/placements/ports';
import type { ManagerDecisions, PlacementStore } from '#lib/placements';
import type { ReferralViews } from '#lib/referrals/ports';
import type { LedgerReads } from '#lib/ledger/ports';
import type { Proposal } from '#lib/matching';
import type { Section17Service } from '#lib/section17';
import type { InvoiceReads } from '#lib/invoicing/ports';
import type { InvoiceJobQueue } from '#lib/invoicing';
import type { KpiService } from '#lib/kpis';
import type { VoidBedCheckRequester } from '#lib/void-beds';
import type { DeliveryLog } from '#lib/outbound';
import type { PaymentsService } from '#lib/payments';
import type { DeliveryRequester } from '#lib/contracts/delivery-requests';

/** What the manager API's routes use, built once per container. */
export interface ApiServices {
  decisions: ManagerDecisions;
  store: PlacementStore;
  referrals: ReferralViews<Proposal>;
  reads: OccupancyReads;
  /** Overrides of the hard rules, by month (the override report). */
  overrides: OverrideLog;
  section17: Section17Service;
  ledger: LedgerReads;
  /** Issued invoices and credit notes, and runs' progress (read only). */
  invoices: InvoiceReads;
  /** Where a requested invoicing run is queued. */
  invoiceJobs: InvoiceJobQueue;
  /** The council's KPIs for a period. */
  kpis: KpiService;
  /** Asks the void-bed monitor to check a bed now (best effort: never throws; the daily check is the safety net). */
  voidBedChecks: VoidBedCheckRequester;
  /** The go-live import of the estate and its placements from CSV files. */
  goLive: GoLiveImport;
  /** The delivery log (read; finance's re-send requests noted) and the deliveries queue. */
  deliveries: { log: DeliveryLog; requests: DeliveryRequester };
  /** Remittances, allocations, bank files; open items, statements and aged debt. */
  payments: PaymentsService;
  clock: Clock;
}
