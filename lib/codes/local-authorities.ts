import * as z from 'zod/mini';
import data from '#data/placing-authorities.json' with { type: 'json' };

/**
 * DfE local authority numbers are three digits: 2xx London, 3xx metropolitan,
 * 8xx/9xx shire and unitary. Councils outside the NE12 group may place too,
 * so any number of that shape is accepted; names come from the data when known.
 */
export const LaNumber = z.string().check(z.regex(/^[2-9]\d{2}$/, 'a DfE local authority number: three digits, 201-999'));
export type LaNumber = z.infer<typeof LaNumber>;

export const SELF_LA_NUMBER: string = data.authorities.find((a) => 'self' in a && a.self)!.la;

/** Our own council: its LA number and ONS code (SSDA903's PL_LA for a placement in one of our homes). */
export const SELF = (() => {
  const self = data.authorities.find((a) => 'self' in a && a.self);
  if (!self) throw new Error('placing-authorities.json names no authority as self');
  return { laNumber: self.la, onsCode: self.ons, name: self.name };
})();

const known = new Map(data.authorities.map((a) => [a.la, a]));

export function knownAuthority(la: string): { la: string; ons: string; name: string } | undefined {
  return known.get(la);
}
