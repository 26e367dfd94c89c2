/**
 * The console's front door, for its function: the app and its pages, the in-process API client, the
 * sign-in client, the static assets, and the mapping of API Gateway's proxy events. What it needs is
 * in ports.ts; its adapters (dynamo-reads, session/dynamo-session-store) are wired by functions/console.
 */
export { ConsoleApp } from './app';
export { loadAssets } from './assets';
export { OidcClient } from './auth/oidc-client';
export { InProcessApi } from './in-process-api';
export { consolePages } from './pages/index';
export { CONSOLE_PREFIX, consoleRequest, proxyResult } from './proxy-event';
