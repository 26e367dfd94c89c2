/**
 * The placements context's front door: placements and offers (schema), the manager's decisions and
 * their refusals, occupancy and voids, the KPI view of a placement, the overrides report. What it
 * needs is in ports.ts.
 */
export { bedOf, CALENDAR_KEEPS_DAYS, calendarHorizon, currentHolds, ensureBedAvailable, type DecisionContext } from './bed-rules';
export { placementConfirmation } from './confirmation';
export { placementDateWindow } from './date-window';
export { DecisionConflict, InvalidDecision, NotFound } from './decision-errors';
export { MIN_WAIVER_REASON_CHARS } from './education-extra';
export { decideHomeChange } from './estate-changes';
export { KpiPlacement } from './kpi-placement';
export { ManagerDecisions } from './manager-decisions';
export { MAX_VOID_PERIOD_NIGHTS, occupancyOn, voidNights, type BedOnNight } from './occupancy';
export { hasLapsed } from './offer-decisions';
export { monthsFrom, OverrideReport, overrideReport } from './override-report';
export { OverrideRequest } from './overrides';
export { plannedFrom } from './placement-changes';
export type { PlacementStore } from './placement-store';
export { Ending, Extra, ExtraKind, Offer, Placement } from './schema';
export { PlacementCharges } from './placement-charges';
export { calendarWrite, historyWrite, MAX_ITEMS_OF_WRITES, type Write } from './writes';
