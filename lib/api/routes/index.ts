import type { Route } from '#lib/http';
import { estateRoutes } from './estate';
import { occupancyRoutes } from './occupancy';
import { offerRoutes } from './offers';
import { placementRoutes } from './placements';
import { referralRoutes } from './referrals';
import { section17Routes } from './section17';
import { invoicingRoutes } from './invoicing';
import { deliveryRoutes } from './deliveries';
import { paymentRoutes } from './payments';
import { ledgerRoutes } from './ledger';
import { kpiRoutes } from './kpis';
import { openApiRoutes } from './openapi';
import { reportRoutes } from './reports';
import { importRoutes } from './imports';

const domainRoutes = [...estateRoutes, ...referralRoutes, ...offerRoutes, ...placementRoutes, ...occupancyRoutes, ...section17Routes, ...deliveryRoutes, ...paymentRoutes, ...invoicingRoutes, ...ledgerRoutes, ...kpiRoutes, ...reportRoutes, ...importRoutes];

/** Every route of the manager API, under /api: the domain's and the one serving their OpenAPI description. */
export const managerRoutes = [...domainRoutes, ...openApiRoutes(domainRoutes as readonly Route<unknown>[])];
