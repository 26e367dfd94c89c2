import { estateRoutes } from './estate';
import { occupancyRoutes } from './occupancy';
import { offerRoutes } from './offers';
import { placementRoutes } from './placements';
import { referralRoutes } from './referrals';
import { section17Routes } from './section17';
import { invoicingRoutes } from './invoicing';
import { ledgerRoutes } from './ledger';
import { kpiRoutes } from './kpis';
import { reportRoutes } from './reports';
import { importRoutes } from './imports';

/** Every route of the manager API, under /api. */
export const managerRoutes = [...estateRoutes, ...referralRoutes, ...offerRoutes, ...placementRoutes, ...occupancyRoutes, ...section17Routes, ...invoicingRoutes, ...ledgerRoutes, ...kpiRoutes, ...reportRoutes, ...importRoutes];
