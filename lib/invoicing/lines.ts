import { addDays, daysBetween, firstDayOf, nextMonth, type Month } from '#lib/time/calendar';
import { formatPence, proRataPence } from '#lib/money';
import type { Period } from '#lib/time/period';
import type { BillablePlacement, Extra } from './billable';
import type { VatCode } from './charge';

/** The income account every placement charge credits (cost centre 04127, subjective 5501). */
export const PLACEMENT_INCOME_ACCOUNT = '04127-5501';

export interface InvoiceLine {
  /** Identifies what is charged across runs: placement, month and component. */
  key: string;
  placementId: string;
  month: Month;
  component: 'bed' | `extra:${string}`;
  description: string;
  /** The home the child lived in (its name when the document was drafted). */
  homeName?: string;
  /** The placing council's own reference for the child: never a name. */
  childReference?: string;
  /** The first and last nights charged (a stay from A to E is charged the nights A … E−1). */
  firstNight?: string;
  lastNight?: string;
  nights?: number;
  weeklyPence?: number;
  netPence: number;
  vatCode: VatCode;
  account: string;
}

/** Nights of `period` (nights from … to−1) that fall in `month`. */
export function nightsInMonth(period: Period, month: Month): number {
  return nightsSpanInMonth(period, month)?.nights ?? 0;
}

/** The nights of `period` that fall in `month`: the first, the last and how many; undefined if none. */
export function nightsSpanInMonth(period: Period, month: Month): { firstNight: string; lastNight: string; nights: number } | undefined {
  const start = period.from > firstDayOf(month) ? period.from : firstDayOf(month);
  const monthEnd = firstDayOf(nextMonth(month));
  const end = period.to !== undefined && period.to < monthEnd ? period.to : monthEnd;
  const nights = daysBetween(start, end);
  return nights > 0 ? { firstNight: start, lastNight: addDays(end, -1), nights } : undefined;
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
    return { ...common, description: `${extra.description} (one-off, ${extra.date})`, homeName: p.homeName, childReference: p.childReference, netPence: extra.amountPence };
  }
  const span = nightsSpanInMonth(intersect(p, { from: extra.from ?? p.from, to: extra.to }), month);
  if (!span) return undefined;
  const { nights } = span;
  return {
    ...common,
    description: `${extra.description}: ${nights} nights at ${formatPence(extra.weeklyPence)} a week`,
    homeName: p.homeName,
    childReference: p.childReference,
    ...span,
    weeklyPence: extra.weeklyPence,
    netPence: proRataPence(extra.weeklyPence, nights),
  };
}

/** Everything one placement owes for one month: its bed nights and each extra. */
export function linesForMonth(p: BillablePlacement, month: Month): InvoiceLine[] {
  const lines: InvoiceLine[] = [];
  const span = nightsSpanInMonth(p, month);
  if (span) {
    const { nights } = span;
    lines.push({
      key: `${p.placementId}:${month}:bed`,
      placementId: p.placementId,
      month,
      component: 'bed',
      description: `${p.homeName}, child ref ${p.childReference}: ${nights} nights at ${formatPence(p.weeklyPricePence)} a week`,
      homeName: p.homeName,
      childReference: p.childReference,
      ...span,
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
