import type { PlacementCharges } from '#lib/placements';
import { BillablePlacement, type Extra } from './billable';
import type { ExtraVatCodes } from './settings';

const EXTRA_DESCRIPTIONS: Record<PlacementCharges['extras'][number]['kind'], string> = {
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
 *
 * A placement loaded at go-live is charged from its `imported.billedFrom`
 * (the 1st of the go-live month) only: the system before Cared For billed
 * the nights before it, and its one-off extras if they fell before it.
 */
export function billableFrom(placement: PlacementCharges, extraVatCodes: ExtraVatCodes, homeName: string = placement.homeId): BillablePlacement {
  const billedFrom = placement.imported?.billedFrom;
  const from = billedFrom !== undefined && billedFrom > placement.startDate ? billedFrom : placement.startDate;
  const extras: Extra[] = placement.extras.flatMap((extra, index): Extra[] => {
    if (extra.basis === 'one-off' && from !== placement.startDate) return [];
    const common = {
      id: `${index + 1}-${extra.kind}`,
      kind: extra.kind,
      description: EXTRA_DESCRIPTIONS[extra.kind],
      vatCode: extraVatCodes[extra.kind],
    };
    return [
      extra.basis === 'weekly'
        ? { ...common, basis: 'weekly', weeklyPence: extra.amountPence }
        : { ...common, basis: 'one-off', amountPence: extra.amountPence, date: placement.startDate },
    ];
  });
  return BillablePlacement.parse({
    placementId: placement.placementId,
    placingLa: placement.placingLa,
    purchaseOrder: placement.purchaseOrder,
    childReference: placement.childReference,
    homeName,
    bedId: placement.bedId,
    from,
    ...(placement.ending ? { to: placement.ending.endDate } : {}),
    weeklyPricePence: placement.agreedWeeklyPricePence,
    extras,
  });
}
