import * as z from '#lib/validation';
import type { BedState } from './bed-state';

/**
 * When managers hear about a bed (design §3): when it becomes void, again
 * after 7, 14 and 28 void nights, and 14 days before a recorded end date
 * that will leave it void. Each is sent once per bed per void spell: the
 * alert's key is the bed, the spell's first night and the threshold.
 */

export const VOID_NIGHT_THRESHOLDS = [0, 7, 14, 28] as const;
export type VoidNightThreshold = (typeof VOID_NIGHT_THRESHOLDS)[number];

/** How many days ahead of a recorded end that will leave the bed void managers are told. */
export const ENDING_NOTICE_DAYS = 14;

export const AlertThreshold = /* @__PURE__ */ z.schema(() => z.enum(['became-void', 'void-7-nights', 'void-14-nights', 'void-28-nights', 'void-in-14-days']));
export type AlertThreshold = z.infer<typeof AlertThreshold>;

const THRESHOLD_OF_NIGHTS: Record<VoidNightThreshold, AlertThreshold> = {
  0: 'became-void',
  7: 'void-7-nights',
  14: 'void-14-nights',
  28: 'void-28-nights',
};

export interface DueAlert {
  threshold: AlertThreshold;
  /** The first night of the void spell the alert is about (for an ending ahead, the night the bed will be empty). */
  spellStart: string;
}

/**
 * The one alert a bed's state calls for tonight, if any. Only the highest
 * threshold reached is due: a bed found void for 20 nights (the monitor was
 * down, or the end was back-dated) gets its 14-night alert, not a burst of
 * three, and the lower ones are never sent later because they are never the
 * highest again. Whether it was already sent is the alert store's business.
 */
export function dueAlert(state: BedState): DueAlert | undefined {
  if (state.kind === 'void') {
    const reached = VOID_NIGHT_THRESHOLDS.filter((t) => state.nights >= t).at(-1)!;
    return { threshold: THRESHOLD_OF_NIGHTS[reached], spellStart: state.since };
  }
  if (state.kind === 'occupied' && state.leavesVoid && state.leavesVoid.daysAhead <= ENDING_NOTICE_DAYS) {
    return { threshold: 'void-in-14-days', spellStart: state.leavesVoid.on };
  }
  return undefined;
}

/** What a threshold means, in words for the alert. */
export function describeThreshold(threshold: AlertThreshold): string {
  switch (threshold) {
    case 'became-void':
      return 'the bed has become void';
    case 'void-7-nights':
      return 'the bed has been void for 7 nights';
    case 'void-14-nights':
      return 'the bed has been void for 14 nights';
    case 'void-28-nights':
      return 'the bed has been void for 28 nights';
    case 'void-in-14-days':
      return `a recorded end date will leave the bed void within ${ENDING_NOTICE_DAYS} days`;
  }
}
