import { readFileSync } from 'node:fs';
import * as z from 'zod/mini';
import type { EstateSnapshot } from '#lib/estate/estate-store';
import { OutOfUse, type Home } from '#lib/estate/schema';
import { sampleEstate } from '#lib/estate/seed';
import { HomeCalendar } from '#lib/time/home-calendar';
import { Referral } from '#lib/referrals/schema';

/**
 * The world the matching worked examples are worked out in: the sample estate
 * (lib/reference-data/estate.sample.json) with the residents, offers and
 * out-of-use spell of tests/fixtures/residents.sample.json.
 */

const ResidentsFixture = z.object({
  asOf: z.iso.datetime(),
  outOfUse: z.array(z.intersection(z.object({ homeId: z.string(), bedId: z.string() }), OutOfUse)),
  calendars: z.array(HomeCalendar),
});

const fixture = ResidentsFixture.parse(
  JSON.parse(readFileSync(new URL('../fixtures/residents.sample.json', import.meta.url), 'utf8')),
);

/** The instant the worked examples are matched at. */
export const WORLD_AS_OF = fixture.asOf;

/** The sample homes with the fixture's out-of-use spells applied to their beds. */
export function worldHomes(): Home[] {
  return sampleEstate().map((home) => ({
    ...home,
    beds: home.beds.map((bed) => ({
      ...bed,
      outOfUse: [
        ...bed.outOfUse,
        ...fixture.outOfUse
          .filter((o) => o.homeId === home.id && o.bedId === bed.id)
          .map(({ from, to, reason }) => ({ from, ...(to ? { to } : {}), reason })),
      ],
    })),
  }));
}

export function worldCalendars(): HomeCalendar[] {
  return structuredClone(fixture.calendars);
}

export function world(): EstateSnapshot {
  return { homes: worldHomes(), calendars: new Map(worldCalendars().map((c) => [c.homeId, c])) };
}

const baseReferral = Referral.parse(
  JSON.parse(readFileSync(new URL('../../events/referrals/created.json', import.meta.url), 'utf8')).data,
);

type DeepPartial<T> = { [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** The sample referral (events/referrals/created.json) with some fields changed; every risk "No known risk" unless given. */
export function referralWith(referralId: string, changes: DeepPartial<Referral>): Referral {
  const noRisks = Object.fromEntries(
    Object.entries(baseReferral.risks).filter(([, v]) => v === 'Risk Present' || v === 'No known risk').map(([k]) => [k, 'No known risk']),
  );
  return Referral.parse({
    ...baseReferral,
    referralId,
    ...changes,
    child: { ...baseReferral.child, ...changes.child },
    sought: { ...baseReferral.sought, ...changes.sought },
    requirements: { ...baseReferral.requirements, ...changes.requirements },
    recommendation: { ...baseReferral.recommendation, ...changes.recommendation },
    risks: { ...baseReferral.risks, ...noRisks, ...changes.risks },
    needs: changes.needs ?? baseReferral.needs,
  });
}
