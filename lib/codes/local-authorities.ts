import data from '#data/placing-authorities.json' with { type: 'json' };

/** Names and codes of the councils the reference data knows (any LA number of the right shape may place: la-number.ts). */
export { LaNumber } from './la-number';

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
