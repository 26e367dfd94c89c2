/** The one place that reads the wall clock; domain code receives a Clock. */
export interface Clock {
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

export const fixedClock = (iso: string): Clock => ({ nowMs: () => Date.parse(iso) });
