/**
 * The handler kit: every function under functions/ is one of these, built
 * from its kit (config parsed once, Powertools logger and metrics).
 *
 *   const kit = functionKit('ledger-poster', ledgerPosterConfigSchema);
 *   export const handler = sqsFunction(kit, { body: Journal, what: 'the journal', handle: async (journal) => … });
 */
export { functionKit, type FunctionKit } from './function-kit';
export { httpFunction, httpRequest, type AnnotateLog, type HttpRequest } from './http-function';
export { recordProcessor, sqsFunction, type BatchWork } from './sqs-function';
export { scheduledFunction } from './scheduled-function';
export { parseRecordBody, UnreadableRecord } from './record-body';
