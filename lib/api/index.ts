/**
 * The manager API's front door: its routes, the roles each needs (access), and the services it is
 * given (the console serves the same routes in process).
 */
export { DECIDE_PLACEMENTS, READ_KPIS, READ_OVERRIDES, RUN_INVOICING } from './access';
export { managerRoutes } from './routes/index';
export type { ApiServices } from './ports';

/** The views the API answers with that the console's pages read: a page reads the API's own schema, never a copy of it. */
export { HomeView } from './routes/estate';
export { DocumentSummaryView, DocumentView, RunProgress } from './routes/invoicing';
export { Confirmation as PlacementConfirmation } from './routes/placements';
export { AwardView } from './routes/section17';
export { ReferralDetail, ReferralSummary } from './routes/referrals';
export { OfferView, PlacementView } from './routes/views';
export { pageOf } from './paging';
