/**
 * The http context's front door: the router and its route type, problem responses, cursors, the JSON
 * Schema of a route's fields, security headers.
 */
export { decodeCursor, encodeCursor, type CursorScope } from './cursor';
export { failureStatus, problemFor } from './error-response';
export { BadRequest, Unauthenticated } from './http-errors';
export { pathTemplate, type PathTemplate } from './path-template';
export { fieldErrors, jsonResponse, problem, problemResponse, type FieldError, type HttpResponse, type ProblemDetails } from './problem';
export { responseSchemaFor, Router, routesFor, type ApiRequest, type NarrowerView, type RequestFacts, type Route } from './router';
export { fieldPaths, jsonSchemaOf } from './schema-fields';
export { htmlContentSecurityPolicy } from './security-headers';
