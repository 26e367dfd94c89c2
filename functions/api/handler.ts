import { ManagerApi } from '#lib/api/manager-api';
import { createTokenVerifier } from '#lib/auth/token-verifier';
import { documentClient, sqsClient } from '#lib/aws/clients';
import { stackClock } from '#lib/stack-clock';
import { apiConfigSchema } from '#lib/config';
import { functionKit, httpFunction } from '#functions/kit/index';
import { managerApiQueues, managerApiServices, managerApiTables } from './wiring';

const kit = functionKit('api', apiConfigSchema);
const { config, logger } = kit;
const api = new ManagerApi(
  createTokenVerifier({ ...config.oidc, clock: stackClock }),
  managerApiServices(
    documentClient(),
    managerApiTables(config),
    managerApiQueues(sqsClient(), config, (error, check) =>
      logger.warn('void-bed check not queued; the daily check will find the bed', { placementId: check.placementId, bedIds: check.bedIds, error: error as Error }),
    ),
    stackClock,
  ),
);

/** The manager API: the route template and the caller's staff id go to the log line, never the path or body. */
export const handler = httpFunction(kit, (request, annotate) => api.handle(request, annotate), { metric: 'ManagerApiRequests' });
