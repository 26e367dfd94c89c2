import { ApplicationRequest } from '#lib/section17/application';
import { readEvent } from './webhook';

/** The sample application body (events/section17/application.json) with overrides, as the API receives it. */
export const applicationBody = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  ...JSON.parse(readEvent('section17/application.json')),
  ...overrides,
});

/** The same, parsed as the domain sees it. */
export const applicationRequest = (overrides: Record<string, unknown> = {}) => ApplicationRequest.parse(applicationBody(overrides));
