/**
 * The matching context's front door: proposals and the rules behind them, the hard rules' exclusions,
 * and ranking referrals for a bed. What it needs is in ports.ts.
 */
export { everyExclusion, type BrokenRule } from './hard-rules';
export { homeContext, referralContext, type ReferralContext, type ReferralToMatch } from './match-context';
export { compareIds, HardRule, Proposal, SoftRule } from './proposal';
export { rankReferralsForBed, type ReferralFit } from './rank-referrals-for-bed';
export { presentRisks } from './risks';
