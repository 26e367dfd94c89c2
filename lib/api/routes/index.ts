import { estateRoutes } from './estate';
import { occupancyRoutes } from './occupancy';
import { offerRoutes } from './offers';
import { placementRoutes } from './placements';
import { referralRoutes } from './referrals';

/** Every route of the manager API, under /api. */
export const managerRoutes = [...estateRoutes, ...referralRoutes, ...offerRoutes, ...placementRoutes, ...occupancyRoutes];
