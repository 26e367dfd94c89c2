/** The matching queue's message is what referrals' intake publishes (its port). */
export { MatchingRequest, type MatchingPublisher } from '#lib/referrals/ports';
