import type { ReasonPlacementChange } from '#lib/codes/ssda903';
import type { Home } from '#lib/estate/schema';
import { sampleEstate } from '#lib/estate/seed';
import type { Placement } from '#lib/placements/schema';

/** Placements for KPI tests: the dates that matter, everything else plausible (never a real child). */

const staff = { subject: 'staff-1', name: 'manager@council.example', roles: ['residential-manager' as const] };
const at = (date: string) => ({ by: staff, at: `${date}T10:00:00.000Z` });

export interface StayOptions {
  id: string;
  bedId: string;
  homeId: string;
  start: string;
  /** The London date the admission was decided (default: the start date). */
  admittedOn?: string;
  end?: string;
  /** The London date the end was recorded (default: the end date). */
  endRecordedOn?: string;
  reason?: ReasonPlacementChange;
  planned?: boolean;
  placingLa?: string;
  movedFrom?: string;
  movedTo?: string;
  weeklyPricePence?: number;
}

const NAMES: Record<string, string> = { '390': 'Gateshead', '391': 'Newcastle upon Tyne', '393': 'South Tyneside', '394': 'Sunderland' };

export function placementOf(o: StayOptions): Placement {
  const la = o.placingLa ?? '390';
  return {
    placementId: o.id,
    referralId: `R-${o.id}`,
    placingLa: la,
    placingAuthorityName: NAMES[la] ?? `LA ${la}`,
    purchaseOrder: `PO-${o.id}`,
    childReference: `REF-${o.id}`,
    homeId: o.homeId,
    bedId: o.bedId,
    ofstedUrn: 'SC000001',
    homePostcode: 'NE29 6DL',
    placementType: 'K2',
    provider: 'PR2',
    startDate: o.start,
    agreedWeeklyPricePence: o.weeklyPricePence ?? 402_000,
    extras: [],
    status: o.end ? 'ended' : 'active',
    resident: { referralId: `R-${o.id}`, dateOfBirth: '2011-03-14', sex: 'M', risks: [], placedBy: la },
    version: o.end ? 2 : 1,
    admitted: at(o.admittedOn ?? o.start),
    ...(o.movedFrom ? { movedFrom: o.movedFrom } : {}),
    ...(o.end
      ? {
          ending: {
            endDate: o.end,
            ...(o.reason ? { reasonPlacementChange: o.reason, planned: o.planned ?? false } : {}),
            ...(o.movedTo ? { movedTo: o.movedTo } : {}),
            decision: at(o.endRecordedOn ?? o.end),
          },
        }
      : {}),
  };
}

/** Harbour View and Northfield from the sample estate: four sellable beds (hv-3, hv-4, nf-1, nf-2), hv-1 and hv-2 kept back. */
export function kpiHomes(): Home[] {
  return sampleEstate().filter((h) => h.id === 'harbour-view' || h.id === 'northfield');
}

export function byBed(placements: readonly Placement[]): Map<string, Placement[]> {
  const map = new Map<string, Placement[]>();
  for (const p of placements) map.set(p.bedId, [...(map.get(p.bedId) ?? []), p]);
  return map;
}
