import * as z from '#lib/validation';
import { ReasonPlacementChange } from '#lib/codes/ssda903';
import { IsoDate } from '#lib/time/iso-date';
import type { Placement } from './schema';

/**
 * What the KPIs need of a placement, and nothing else: its bed and dates,
 * when it was admitted and when its end was recorded (the planned figure is
 * the book as it stood on the period's first morning), the placing council
 * and how it ended. The home's KPI book (kpi-book.ts) keeps one per placement.
 */
export const KpiPlacement = /* @__PURE__ */ z.schema(() => z.object({
  placementId: z.string().check(z.minLength(1)),
  homeId: z.string().check(z.minLength(1)),
  bedId: z.string().check(z.minLength(1)),
  startDate: IsoDate,
  placingLa: z.string(),
  placingAuthorityName: z.string(),
  movedFrom: z.optional(z.string()),
  admitted: z.object({ at: z.string() }),
  ending: z.optional(z.object({
      endDate: IsoDate,
      reasonPlacementChange: z.optional(ReasonPlacementChange),
      planned: z.optional(z.boolean()),
      decision: z.object({ at: z.string() }),
    })),
}));
export type KpiPlacement = z.infer<typeof KpiPlacement>;

/** The placement's KPI facts, with no absent field written out (they are stored as they are). */
export function kpiPlacementOf(p: Placement): KpiPlacement {
  const { ending } = p;
  return {
    placementId: p.placementId,
    homeId: p.homeId,
    bedId: p.bedId,
    startDate: p.startDate,
    placingLa: p.placingLa,
    placingAuthorityName: p.placingAuthorityName,
    ...(p.movedFrom !== undefined ? { movedFrom: p.movedFrom } : {}),
    admitted: { at: p.admitted.at },
    ...(ending
      ? {
          ending: {
            endDate: ending.endDate,
            ...(ending.reasonPlacementChange !== undefined ? { reasonPlacementChange: ending.reasonPlacementChange } : {}),
            ...(ending.planned !== undefined ? { planned: ending.planned } : {}),
            decision: { at: ending.decision.at },
          },
        }
      : {}),
  };
}
