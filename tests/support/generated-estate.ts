import type { Home, OutOfUse } from '#lib/estate/schema';
import { sampleEstate } from '#lib/estate/seed';
import { northEastCentroids } from '#lib/matching/postcode-geography';
import type { Hold } from '#lib/time/home-calendar';
import { Need, type Referral } from '#lib/referrals/schema';
import { addDays } from '#lib/time/calendar';
import { WORKED_REFERRALS } from '#tests/fixtures/worked-referrals';

/**
 * Large estates and many referrals, made up the same way every time from a seed: the matching
 * benchmark and the randomized comparison of the matcher against its reference use them.
 */

export const BEDS_PER_HOME = 6;

export const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const districts = [...northEastCentroids.keys()];
const templates = sampleEstate();

/**
 * Made-up home `id`, the i-th: the Statement of Purpose of one of the five sample homes in turn, six
 * beds (the first two kept back), each out of use as `outOfUse` says (in use, unless it says).
 */
export function homeLikeTheSamples(i: number, id: string, outOfUse: (bed: number) => OutOfUse[] = () => []): Home {
  const template = templates[i % templates.length]!;
  return {
    ...template,
    id,
    name: `${template.name} ${i}`,
    maxResidents: BEDS_PER_HOME,
    beds: Array.from({ length: BEDS_PER_HOME }, (_, b) => ({ id: `${id}-b${b + 1}`, sellable: b >= 2, outOfUse: outOfUse(b) })),
  };
}

/** Home i: one of the five sample homes' Statements of Purpose, somewhere in the North East, six beds (two kept back). */
export function generatedHome(i: number): Home {
  return { ...homeLikeTheSamples(i, `home-${String(i).padStart(5, '0')}`), postcode: `${districts[i % districts.length]} ${1 + (i % 9)}AB` };
}

export function generatedResident(i: number, b: number): Hold['resident'] {
  return {
    dateOfBirth: `20${String(8 + ((i + b) % 6)).padStart(2, '0')}-0${1 + (b % 9)}-1${b % 9}`,
    sex: (i + b) % 2 ? 'F' : 'M',
    risks: (i + b) % 5 === 0 ? ['missing'] : [],
    placedBy: (i + b) % 3 ? '390' : '392',
  };
}

/** Current and future holds of home i as at `today`: three beds lived in (one leaving soon), one offered. */
export function generatedHolds(home: Home, i: number, today: string): Hold[] {
  const bed = (b: number) => home.beds[b]!.id;
  return [
    { id: `${home.id}-now-1`, bedId: bed(0), kind: 'placement', from: addDays(today, -80), resident: generatedResident(i, 0) },
    { id: `${home.id}-now-2`, bedId: bed(2), kind: 'placement', from: addDays(today, -158), resident: generatedResident(i, 2) },
    { id: `${home.id}-now-3`, bedId: bed(3), kind: 'placement', from: addDays(today, -50), to: addDays(today, (i % 40) + 1), resident: generatedResident(i, 3) },
    {
      id: `${home.id}-offer`,
      bedId: bed(4),
      kind: 'offer',
      from: addDays(today, 15),
      to: addDays(today, 197),
      expiresAt: `${addDays(today, 2)}T17:00:00.000Z`,
      resident: generatedResident(i, 4),
    },
  ];
}

const RISKS = [
  'riskSelfHarm',
  'riskSexualExploitation',
  'riskCriminalExploitation',
  'riskDrugAlcohol',
  'riskEatingDisorder',
  'riskMissing',
  'riskToOthersPhysical',
  'riskToOthersSexual',
  'riskToOthersFire',
  'riskToOthersAnimals',
  'riskToOthersCriminal',
] as const;
const SUITABILITY = ['Preferred', 'Suitable but not preferred', 'Unsuitable', 'Not specified'] as const;
const COMPANIONS = ['Solo placement recommended', 'With other children recommended', 'Only with other older children', 'Only with other younger children', 'No preference'] as const;

/**
 * A referral varied from a worked example: type, kind, age, sex, needs, risks, budget, dates,
 * companions, pets, recommendations and postcodes drawn at random, so that every rule excludes
 * some homes and passes others.
 */
export function randomReferral(random: () => number, referralId: string, today: string): Referral {
  const base = pick(random, Object.values(WORKED_REFERRALS));
  const district = pick(random, districts);
  const risks = Object.fromEntries(RISKS.map((r) => [r, random() < 0.2 ? 'Risk Present' : 'No known risk'])) as Referral['risks'];
  return {
    ...base,
    referralId,
    child: {
      ...base.child,
      dateOfBirth: `${2004 + Math.floor(random() * 13)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`,
      sex: random() < 0.5 ? 'F' : 'M',
      homePostcode: `${district} ${1 + Math.floor(random() * 9)}XY`,
      ...(random() < 0.8 ? { schoolPostcodeSector: `${pick(random, districts)} ${1 + Math.floor(random() * 9)}` } : { schoolPostcodeSector: undefined }),
    },
    sought: {
      ...base.sought,
      placementType: pick(random, ['K2', 'K2', 'K3', 'R3', 'K1'] as const),
      kind: pick(random, ['long-term', 'short-term', 'assessment', 'parent-and-child'] as const),
      neededFrom: addDays(today, Math.floor(random() * 60) - 5),
      expectedWeeks: 1 + Math.floor(random() * 52),
      educationPlaceRequired: random() < 0.3,
      maxWeeklyBudgetPence: 100_000 + Math.floor(random() * 600_000),
    },
    needs: Need.options.filter(() => random() < 0.15),
    requirements: { ...base.requirements, livingCompanions: pick(random, COMPANIONS), pets: pick(random, ['Yes - must', 'Yes - can', 'No', 'Not Known'] as const) },
    recommendation: {
      fosterCareSuitability: pick(random, SUITABILITY),
      residentialCareSuitability: pick(random, SUITABILITY),
      supportedAccommodationSuitability: pick(random, SUITABILITY),
    },
    risks,
  };
}
