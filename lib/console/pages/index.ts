import type { ConsolePage } from '#lib/console/page';
import { boardPage, homePage as estateHomePage, voidBedsPage } from './estate';
import { invoiceCsvPage, invoicePage, invoicePdfPage, invoicePrintPage, invoicesPage, ledgerPage, runPage, runsListPage } from './finance';
import { homePage } from './home';
import { kpiPage } from './kpis';
import { overridesPage } from './overrides';
import { admissionPage, confirmationPage, endPlacementPage, movePlacementPage, placementPage } from './placements/placements';
import { acceptOfferPage, declineOfferPage, offerBedPage, referralPage, referralQueuePage } from './placements/referrals';
import { applyPage } from './section17/apply';
import { applicationPage, decidePage, myApplicationsPage, waitingForMePage } from './section17/applications';
import { section17ReportsPage } from './section17/reports';

/** Every page of the console. */
export const consolePages: readonly ConsolePage[] = [
  homePage,
  // residential managers
  boardPage,
  voidBedsPage,
  estateHomePage,
  // placements
  referralQueuePage,
  referralPage,
  offerBedPage,
  acceptOfferPage,
  declineOfferPage,
  admissionPage,
  placementPage,
  endPlacementPage,
  movePlacementPage,
  confirmationPage,
  // Section 17
  applyPage,
  myApplicationsPage,
  waitingForMePage,
  applicationPage,
  decidePage,
  section17ReportsPage,
  // finance
  runsListPage,
  runPage,
  invoicesPage,
  invoicePage,
  invoicePrintPage,
  invoicePdfPage,
  invoiceCsvPage,
  ledgerPage,
  // head of service
  overridesPage,
  // everyone with access
  kpiPage,
];
