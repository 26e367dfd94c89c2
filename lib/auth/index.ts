/**
 * The auth context's front door: who is calling (Caller, roles, the decision stamp), and turning a
 * verified token into a caller.
 */
export { Caller, Decision, decisionBy, hasAnyRole } from './caller';
export { ALL_ROLES, Role } from './roles';
export { callerOf, type VerifyToken } from './token-verifier';
export { Unauthenticated } from './unauthenticated';
