import type * as z from 'zod/mini';
import { BillablePlacement } from '#lib/invoicing/billable';

/** Harbour View's price: cost £3,200 + 10% void allowance £320 + premium £500 = £4,020 a week. */
export const HARBOUR_VIEW_WEEKLY = 402_000;

/** A placement as invoicing sees it: Gateshead's child GH-CLA-7731 in Harbour View's bed hv-3 at its price, unless told otherwise. */
export const billablePlacement = (overrides: Partial<z.input<typeof BillablePlacement>> & { from: string }): BillablePlacement =>
  BillablePlacement.parse({
    placementId: 'P1',
    placingLa: '390',
    purchaseOrder: 'PO-GH-1',
    childReference: 'GH-CLA-7731',
    homeName: 'Harbour View',
    bedId: 'hv-3',
    weeklyPricePence: HARBOUR_VIEW_WEEKLY,
    ...overrides,
  });
