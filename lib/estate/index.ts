/**
 * The estate context's front door: homes and beds (schema), their calendars' starting point, what a
 * placement is charged, and the estate as read at once.
 */
export { emptyCalendar, type VersionedHome } from './estate-items';
export type { EstateSnapshot } from './estate-store';
export { weeklyChargePence, weeklyPriceBreakdown, weeklyPricePence } from './pricing';
export { Bed, Home, OutOfUse, Registration } from './schema';
