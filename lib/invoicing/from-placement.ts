import type { Placement } from '#lib/placements/schema';
import { BillablePlacement, type Extra } from './billable';
import type { ExtraVatCodes } from './settings';

const EXTRA_DESCRIPTIONS: Record<Placement['extras'][number]['kind'], string> = {
  'education-place': 'Education place',
  'additional-staffing': 'Additional staffing',
  transport: 'Transport',
};

/**
 * A placement as invoicing sees it: the agreed weekly price from the
 * admission date to the leaving day (open while it lasts), the placing
 * council's purchase order, and each extra with a stable id (its position on
 * the placement: a placement's extras are fixed at admission). A one-off
 * extra is charged in the month the placement began; a weekly one pro rata
 * over the placement. Nothing about the child but the council's own reference.
 * The home is named as the estate names it (its id where no name is known).
 */
export function billableFrom(placement: Placement, extraVatCodes: ExtraVatCodes, homeName: string = placement.homeId): BillablePlacement {
  const extras: Extra[] = placement.extras.map((extra, index) => {
    const common = {
      id: `${index + 1}-${extra.kind}`,
      kind: extra.kind,
      description: EXTRA_DESCRIPTIONS[extra.kind],
      vatCode: extraVatCodes[extra.kind],
    };
    return extra.basis === 'weekly'
      ? { ...common, basis: 'weekly', weeklyPence: extra.amountPence }
      : { ...common, basis: 'one-off', amountPence: extra.amountPence, date: placement.startDate };
  });
  return BillablePlacement.parse({
    placementId: placement.placementId,
    placingLa: placement.placingLa,
    purchaseOrder: placement.purchaseOrder,
    childReference: placement.childReference,
    homeName,
    bedId: placement.bedId,
    from: placement.startDate,
    ...(placement.ending ? { to: placement.ending.endDate } : {}),
    weeklyPricePence: placement.agreedWeeklyPricePence,
    extras,
  });
}
