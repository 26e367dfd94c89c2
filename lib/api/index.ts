/**
 * The manager API's front door: its routes, the roles each needs (access), and the services it is
 * given (the console serves the same routes in process).
 */
export { DECIDE_PLACEMENTS, READ_KPIS, READ_OVERRIDES, RUN_INVOICING } from './access';
export { managerRoutes } from './routes/index';
export type { ApiServices } from './ports';
