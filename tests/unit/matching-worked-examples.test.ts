import { describe, expect, it } from 'vitest';
import { proposeMatches } from '#lib/matching/propose';
import type { Proposal } from '#lib/matching/proposal';
import { WORKED_REFERRALS } from '#tests/fixtures/worked-referrals';
import { world, WORLD_AS_OF } from '#tests/support/matching-world';

/**
 * Worked examples: referrals (tests/fixtures/worked-referrals.ts) matched
 * against the sample estate with the residents of
 * tests/fixtures/residents.sample.json on 2026-11-20. Who lives where:
 *
 *   Elm House (K3 16–21)    elm-1..4 own children's beds (2 residents); elm-5 placed to 2026-12-10;
 *                           elm-6 held by an offer that lapsed on 2026-11-19
 *   Mitford Gardens (K3)    mit-1a..3b own (2 residents); mit-4a offered 2026-11-25 → 2027-05-26 (live);
 *                           mit-4b placed, open-ended; mit-5a/5b void
 *   Purley Close (R3, F)    pur-1/2 own (1 resident); pur-3 void; pur-4 placed until 2026-11-23
 *   Harbour View (K2 11–17) hv-1 own, 15, at risk of criminal exploitation and going missing;
 *                           hv-2 own, 13, self-harm; hv-3 void; hv-4 out of use 2026-11-18 → 2026-12-05
 *   Northfield (K2 solo)    nf-1 void; nf-2 void until a planned admission on 2027-03-01 (a girl born 2013)
 *
 * Prices: Elm £1,545, Mitford £1,256, Purley £3,636, Harbour View £4,020 (+ £600 education),
 * Northfield £5,675 (+ £750 education) a week.
 *
 * Expected: candidates as "home/bed score", best first; exclusions as "home[/bed] first-rule".
 */

interface Expected {
  candidates: string[];
  excluded: string[];
  /** Reasons that must appear, by "home[/bed]" (exclusion) or "home/bed rule" (score part). */
  reasons?: Record<string, string>;
}

const placementTypeK2Only = ['elm-house placement-type', 'mitford-gardens placement-type', 'purley-close placement-type'];
const ownHarbourView = ['harbour-view/hv-1 bed-kept-for-own-children', 'harbour-view/hv-2 bed-kept-for-own-children'];
const ownElm = [1, 2, 3, 4].map((n) => `elm-house/elm-${n} bed-kept-for-own-children`);
const ownMitford = ['1a', '1b', '2a', '2b', '3a', '3b'].map((b) => `mitford-gardens/mit-${b} bed-kept-for-own-children`);
const notK3 = ['harbour-view placement-type', 'northfield placement-type', 'purley-close placement-type'];
const notR3 = ['elm-house placement-type', 'harbour-view placement-type', 'mitford-gardens placement-type', 'northfield placement-type'];

const EXAMPLES: Record<keyof typeof WORKED_REFERRALS, { title: string } & Expected> = {
  W01: {
    title: 'the sample referral: a 15-year-old at risk of criminal exploitation and of going missing, budget £4,500',
    candidates: ['harbour-view/hv-3 17'],
    excluded: [...placementTypeK2Only, ...ownHarbourView, 'harbour-view/hv-4 bed-out-of-use', 'northfield/nf-1 budget', 'northfield/nf-2 bed-held'].sort(),
    reasons: {
      'harbour-view/hv-4': 'out of use from 2026-11-18 to 2026-12-05 (redecoration after a flood)',
      'harbour-view/hv-3 resident-impact':
        'the child and 1 resident(s) are at risk of criminal-exploitation (peer recruitment into criminal exploitation) (-15); ' +
        'the child and 1 resident(s) are at risk of missing (going missing together) (-10)',
      'northfield/nf-1': 'weekly charge £5,675.00 is over the budget of £4,500.00',
      'northfield/nf-2': 'held by a placement from 2027-03-01 (open-ended), overlapping the nights sought',
    },
  },
  W02: {
    title: 'a solo child (14, complex needs, 12 weeks): only the solo-capable home, empty for the whole period',
    candidates: ['northfield/nf-1 43', 'northfield/nf-2 43'],
    excluded: [...placementTypeK2Only, 'harbour-view needs'].sort(),
    reasons: { 'harbour-view': 'needs outside the Statement of Purpose: complex-needs' },
  },
  W03: {
    title: 'the same solo child for 26 weeks: a planned admission on 2027-03-01 means someone will live there',
    candidates: [],
    excluded: [...placementTypeK2Only, 'harbour-view needs', 'northfield living-companions'].sort(),
    reasons: { northfield: 'a solo placement is recommended; 1 other child(ren) live or will live there during the period' },
  },
  W04: {
    title: 'only with older children (14): Harbour View has a 13-year-old',
    candidates: ['northfield/nf-1 46', 'northfield/nf-2 46'],
    excluded: [...placementTypeK2Only, 'harbour-view living-companions'].sort(),
    reasons: { 'harbour-view': 'only older children are recommended; 1 of 2 child(ren) there during the period are not older' },
  },
  W05: {
    title: 'fire-setting: excluded by the homes whose Statement of Purpose excludes it, welcome at Northfield',
    candidates: ['northfield/nf-1 46', 'northfield/nf-2 46'],
    excluded: [...placementTypeK2Only, 'harbour-view risks-excluded'].sort(),
    reasons: { 'harbour-view': 'the Statement of Purpose excludes fire-setting, a risk the child presents' },
  },
  W06: {
    title: 'a 15-year-old for supported accommodation (16–21 and 16–25 homes)',
    candidates: [],
    excluded: ['elm-house age', 'mitford-gardens age', ...notK3].sort(),
    reasons: {
      'elm-house': 'the child is 15 on 2026-12-01; the home takes ages 16 to 21',
      'mitford-gardens': 'the child is 15 on 2026-12-01; the home takes ages 16 to 25',
    },
  },
  W07: {
    title: 'a 16-year-old leaving care: a lapsed offer frees elm-6; a live offer and a placement hold two Mitford beds',
    candidates: ['mitford-gardens/mit-5a 40', 'mitford-gardens/mit-5b 40', 'elm-house/elm-6 38'],
    excluded: [...ownElm, 'elm-house/elm-5 bed-held', ...ownMitford, 'mitford-gardens/mit-4a bed-held', 'mitford-gardens/mit-4b bed-held', ...notK3].sort(),
    reasons: {
      'mitford-gardens/mit-4a': 'held by an offer from 2026-11-25 to 2027-05-26, overlapping the nights sought',
      'elm-house/elm-5': 'held by a placement from 2026-06-01 to 2026-12-10, overlapping the nights sought',
      'elm-house/elm-1': "kept back for the council's own children",
      'mitford-gardens/mit-5a distance': "2.5 miles from the child's home (between district centroids)",
      'elm-house/elm-6 distance': "4.6 miles from the child's home (between district centroids)",
    },
  },
  W08: {
    title: 'the same 16-year-old with a budget of £1,500: below Elm House’s £1,545',
    candidates: ['mitford-gardens/mit-5a 40', 'mitford-gardens/mit-5b 40'],
    excluded: [...ownElm, 'elm-house/elm-5 bed-held', 'elm-house/elm-6 budget', ...ownMitford, 'mitford-gardens/mit-4a bed-held', 'mitford-gardens/mit-4b bed-held', ...notK3].sort(),
    reasons: { 'elm-house/elm-6': 'weekly charge £1,545.00 is over the budget of £1,500.00' },
  },
  W09: {
    title: 'a mother-and-baby assessment (R3, 17): Purley Close; the void bed ranks above the one freeing in 3 days',
    candidates: ['purley-close/pur-3 29', 'purley-close/pur-4 25'],
    excluded: [...notR3, 'purley-close/pur-1 bed-kept-for-own-children', 'purley-close/pur-2 bed-kept-for-own-children'].sort(),
    reasons: {
      'purley-close/pur-3 occupancy': 'void now: the bed is empty tonight, and filling it ends a void',
      'purley-close/pur-4 occupancy': 'occupied tonight; free in 3 day(s), from 2026-11-23',
    },
  },
  W10: {
    title: 'a young father and baby (R3): Purley Close takes young women only',
    candidates: [],
    excluded: [...notR3, 'purley-close sex'].sort(),
    reasons: { 'purley-close': 'the home takes F only' },
  },
  W11: {
    title: 'a child who must live with pets: no home has animals',
    candidates: [],
    excluded: [...placementTypeK2Only, 'harbour-view pets', 'northfield pets'].sort(),
    reasons: { northfield: 'the child must live with pets; the home has none' },
  },
  W12: {
    title: 'the sample referral needed from 2026-12-07, after the redecoration: hv-4 is back, ranked below the void hv-3',
    candidates: ['harbour-view/hv-3 17', 'harbour-view/hv-4 10'],
    excluded: [...placementTypeK2Only, ...ownHarbourView, 'northfield/nf-1 budget', 'northfield/nf-2 bed-held'].sort(),
    reasons: { 'harbour-view/hv-4 occupancy': 'out of use tonight; free in 15 days, from 2026-12-05' },
  },
  W13: {
    title: 'a 16-year-old with a risk of sexual harm to others: Northfield, where a younger girl arrives on 2027-03-01',
    candidates: ['northfield/nf-1 25'],
    excluded: [...placementTypeK2Only, 'harbour-view risks-excluded', 'northfield/nf-2 bed-held'].sort(),
    reasons: {
      'northfield/nf-1 resident-impact': 'the child presents harm-to-others-sexual risk; 1 resident(s) are younger (-30)',
      'harbour-view': 'the Statement of Purpose excludes harm-to-others-sexual, a risk the child presents',
    },
  },
  W14: {
    title: 'a risk of criminal harm to others, against a resident at risk of criminal exploitation; short-term',
    candidates: ['harbour-view/hv-3 17', 'harbour-view/hv-4 10'],
    excluded: [...placementTypeK2Only, ...ownHarbourView, 'northfield kind'].sort(),
    reasons: {
      'harbour-view/hv-3 resident-impact': 'the child presents harm-to-others-criminal risk; 1 resident(s) are at risk of criminal exploitation (-20)',
      northfield: 'a short-term placement is not offered (assessment, long-term)',
    },
  },
  W15: {
    title: 'an education place pushes the weekly charge over the budget',
    candidates: [],
    excluded: [...placementTypeK2Only, ...ownHarbourView, 'harbour-view/hv-3 budget', 'harbour-view/hv-4 budget', 'northfield/nf-1 budget', 'northfield/nf-2 bed-held'].sort(),
    reasons: { 'harbour-view/hv-3': 'weekly charge £4,620.00 (price £4,020.00 + education place £600.00) is over the budget of £4,500.00' },
  },
};

function match(id: keyof typeof WORKED_REFERRALS): Proposal {
  return proposeMatches({ referralId: id, version: 1, referral: WORKED_REFERRALS[id], asOf: WORLD_AS_OF }, world());
}

const where = (homeId: string, bedId?: string) => (bedId ? `${homeId}/${bedId}` : homeId);

describe('matching worked examples against the sample estate on 2026-11-20', () => {
  it.each(Object.entries(EXAMPLES))('%s: %s', (id, _title) => {
    // Prepare
    const expected = EXAMPLES[id as keyof typeof EXAMPLES];

    // Act
    const proposal = match(id as keyof typeof WORKED_REFERRALS);

    // Assess: candidates in order with their scores; every other home or bed excluded by its first rule
    expect(proposal.candidates.map((c) => `${where(c.homeId, c.bedId)} ${c.score}`)).toEqual(expected.candidates);
    expect(proposal.excluded.map((e) => `${where(e.homeId, e.bedId)} ${e.rule}`).sort()).toEqual(expected.excluded);
    const reasons = new Map<string, string>([
      ...proposal.excluded.map((e) => [where(e.homeId, e.bedId), e.reason] as const),
      ...proposal.candidates.flatMap((c) => c.parts.map((p) => [`${where(c.homeId, c.bedId)} ${p.rule}`, p.reason] as const)),
    ]);
    for (const [at, reason] of Object.entries(expected.reasons ?? {})) expect(reasons.get(at), at).toBe(reason);
    // Every bed of every home is accounted for exactly once: a candidate, excluded itself, or in an excluded home.
    const homesExcluded = new Set(proposal.excluded.filter((e) => !e.bedId).map((e) => e.homeId));
    const seen = [...proposal.candidates.map((c) => where(c.homeId, c.bedId)), ...proposal.excluded.filter((e) => e.bedId).map((e) => where(e.homeId, e.bedId))];
    const expectedBeds = world().homes.filter((h) => !homesExcluded.has(h.id)).flatMap((h) => h.beds.map((b) => where(h.id, b.id)));
    expect(seen.sort()).toEqual(expectedBeds.sort());
  });

  it('shows every part of a candidate’s score with its reason, and the parts add up to the score', () => {
    // Act
    const [best] = match('W01').candidates;

    // Assess
    expect(best).toEqual({
      homeId: 'harbour-view',
      bedId: 'hv-3',
      score: 17,
      weeklyPricePence: 402_000,
      parts: [
        { rule: 'resident-impact', points: -25, reason: expect.stringContaining('criminal-exploitation') },
        { rule: 'distance', points: 12, reason: "8.2 miles from the child's home (between district centroids)" },
        { rule: 'education', points: 0, reason: 'the home is not near the school: a change of school is likely' },
        { rule: 'camhs', points: 5, reason: 'the home works with CAMHS; the referral shows emotional-behavioural needs' },
        { rule: 'occupancy', points: 10, reason: 'void now: the bed is empty tonight, and filling it ends a void' },
        { rule: 'suitability', points: 10, reason: 'residentialCareSuitability is "Preferred" for a childrens-home' },
        { rule: 'companions', points: 5, reason: 'living with other children is recommended; 2 other child(ren) live there during the period' },
      ],
    });
  });

  it('the same referral and estate give the same proposal, whatever order the homes, beds and holds arrive in', () => {
    for (const id of Object.keys(WORKED_REFERRALS) as (keyof typeof WORKED_REFERRALS)[]) {
      // Prepare
      const shuffled = world();
      shuffled.homes.reverse();
      for (const home of shuffled.homes) home.beds.reverse();
      for (const calendar of shuffled.calendars.values()) calendar.holds.reverse();

      // Act
      const again = proposeMatches({ referralId: id, version: 1, referral: WORKED_REFERRALS[id], asOf: WORLD_AS_OF }, shuffled);

      // Assess
      expect(again).toEqual(match(id));
    }
  });
});
