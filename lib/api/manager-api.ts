import type { VerifyToken } from '#lib/auth';
import { Router, type ApiRequest, type HttpResponse, type RequestFacts } from '#lib/http';
import { managerRoutes } from './routes';
import type { ApiServices } from './services';

/** The manager API: one request in, one response out; refusals are thrown as StatusErrors for the edge to map. */
export class ManagerApi {
  private readonly router = new Router(managerRoutes);

  constructor(
    private readonly verify: VerifyToken,
    private readonly services: ApiServices,
  ) {}

  get routes() {
    return this.router.routes;
  }

  async handle(request: ApiRequest, note?: (facts: RequestFacts) => void): Promise<HttpResponse> {
    return (await this.router.dispatch(request, this.verify, this.services, note)).response;
  }
}
