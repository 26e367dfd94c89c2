/**
 * The referrals context's front door: a referral as received (schema), its status and record, and its
 * decision history. What it needs is in ports.ts.
 */
export { DecisionHistoryEntry, referralChange, type ReferralChange } from './decision-history';
export { ReferralStatus, type ReferralRecord } from './lifecycle';
export type { ReferralReader } from './referral-reader';
export { Child, Need, PlacementKind, PlacingAuthority, Postcode, Referral, ReferralId, Risks } from './schema';
