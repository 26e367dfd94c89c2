import { daysBetween, firstDayOf, nextMonth, type Month } from '#lib/time/calendar';
import { formatPence } from '#lib/money';
import type { BillablePlacement, Extra } from './billable';
import { proRataPence, type VatCode } from './charge';

/** The income account every placement charge credits (cost centre 04127, subjective 5501). */
export const PLACEMENT_INCOME_ACCOUNT = '04127-5501';

export interface InvoiceLine {
  /** Identifies what is charged across runs: placement, month and component. */
  key: string;
  placementId: string;
  month: Month;
  component: 'bed' | `extra:${string}`;
  description: string;
  nights?: number;
  weeklyPence?: number;
  netPence: number;
  vatCode: VatCode;
  account: string;
}

interface Period {
  from: string;
  to?: string | undefined;
}

/** Nights of `period` (nights from … to−1) that fall in `month`. */
export function nightsInMonth(period: Period, month: Month): number {
  const start = period.from > firstDayOf(month) ? period.from : firstDayOf(month);
  const monthEnd = firstDayOf(nextMonth(month));
  const end = period.to !== undefined && period.to < monthEnd ? period.to : monthEnd;
  return Math.max(0, daysBetween(start, end));
}

function intersect(a: Period, b: Period): Period {
  const from = a.from > b.from ? a.from : b.from;
  const ends = [a.to, b.to].filter((d): d is string => d !== undefined).sort();
  return { from, to: ends[0] };
}

function extraLine(p: BillablePlacement, extra: Extra, month: Month): InvoiceLine | undefined {
  const common = {
    key: `${p.placementId}:${month}:extra:${extra.id}`,
    placementId: p.placementId,
    month,
    component: `extra:${extra.id}` as const,
    vatCode: extra.vatCode,
    account: PLACEMENT_INCOME_ACCOUNT,
  };
  if (extra.basis === 'one-off') {
    if (extra.date.slice(0, 7) !== month) return undefined;
    return { ...common, description: `${extra.description} (one-off, ${extra.date})`, netPence: extra.amountPence };
  }
  const nights = nightsInMonth(intersect(p, { from: extra.from ?? p.from, to: extra.to }), month);
  if (nights === 0) return undefined;
  return {
    ...common,
    description: `${extra.description}: ${nights} nights at ${formatPence(extra.weeklyPence)} a week`,
    nights,
    weeklyPence: extra.weeklyPence,
    netPence: proRataPence(extra.weeklyPence, nights),
  };
}

/** Everything one placement owes for one month: its bed nights and each extra. */
export function linesForMonth(p: BillablePlacement, month: Month): InvoiceLine[] {
  const lines: InvoiceLine[] = [];
  const nights = nightsInMonth(p, month);
  if (nights > 0) {
    lines.push({
      key: `${p.placementId}:${month}:bed`,
      placementId: p.placementId,
      month,
      component: 'bed',
      description: `${p.homeName}, child ref ${p.childReference}: ${nights} nights at ${formatPence(p.weeklyPricePence)} a week`,
      nights,
      weeklyPence: p.weeklyPricePence,
      netPence: proRataPence(p.weeklyPricePence, nights),
      vatCode: 'OS',
      account: PLACEMENT_INCOME_ACCOUNT,
    });
  }
  for (const extra of p.extras) {
    const line = extraLine(p, extra, month);
    if (line) lines.push(line);
  }
  return lines;
}
