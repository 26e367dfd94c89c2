import { routesFor } from '#lib/http';
import type { ApiServices } from './ports';

export type { ApiServices } from './ports';

/** Declares one of the manager API's routes. */
export const apiRoute = routesFor<ApiServices>();
