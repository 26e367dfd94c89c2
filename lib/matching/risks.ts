import type { Risk } from '#lib/codes/pds-risks';
import type { Risks } from '#lib/referrals';

/** Which Placements Data Standard v2 risk field names which Risk (the words a Statement of Purpose uses). */
export const RISK_OF_PDS_FIELD = {
  riskSelfHarm: 'self-harm',
  riskSexualExploitation: 'sexual-exploitation',
  riskCriminalExploitation: 'criminal-exploitation',
  riskDrugAlcohol: 'drug-alcohol',
  riskEatingDisorder: 'eating-disorder',
  riskMissing: 'missing',
  riskToOthersPhysical: 'harm-to-others-physical',
  riskToOthersSexual: 'harm-to-others-sexual',
  riskToOthersFire: 'fire-setting',
  riskToOthersAnimals: 'harm-to-animals',
  riskToOthersCriminal: 'harm-to-others-criminal',
} as const satisfies Partial<Record<keyof Risks, Risk>>;

/** The risks a referral marks "Risk Present", in the standard's field order. */
export function presentRisks(risks: Risks): Risk[] {
  return (Object.keys(RISK_OF_PDS_FIELD) as (keyof typeof RISK_OF_PDS_FIELD)[])
    .filter((field) => risks[field] === 'Risk Present')
    .map((field) => RISK_OF_PDS_FIELD[field]);
}
