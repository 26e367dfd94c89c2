import type { ConsolePage } from '#lib/console/page';
import { homePage } from './home';
import { applyPage } from './section17/apply';
import { applicationPage, decidePage, myApplicationsPage, waitingForMePage } from './section17/applications';
import { section17ReportsPage } from './section17/reports';

/** Every page of the console. */
export const consolePages: readonly ConsolePage[] = [
  homePage,
  applyPage,
  myApplicationsPage,
  waitingForMePage,
  applicationPage,
  decidePage,
  section17ReportsPage,
];
