import type { Risk } from '#lib/codes/pds-risks';
import type { Person } from './match-context';

/**
 * The impact risk assessment, made explicit: what one child's risks mean for
 * the children they would live with. A registered manager must record this
 * before admitting anyone (Children's Homes Regulations 2015, reg 14 and the
 * Guide's "impact risk assessment"); matching ranks by it and shows every
 * concern it found, so the manager starts from the same list.
 *
 * Two kinds of concern:
 *  - directed: a child who presents `risk` towards others who are vulnerable
 *    in the way `towards` says. Checked both ways: the referred child towards
 *    the residents, and each resident towards the referred child.
 *  - mutual: two children sharing a risk that grows when they live together
 *    (peer association in exploitation, going missing together). Counted once.
 *
 * Points are penalties and add up; each concern counts once however many
 * children it concerns (the reason gives how many).
 */

export interface DirectedConcern {
  kind: 'directed';
  id: string;
  risk: Risk;
  towards: (presenter: Person, other: Person) => boolean;
  /** How the other child is vulnerable, relative to the presenter ("younger"); absent = any child. */
  vulnerable?: string;
  points: number;
}

export interface MutualConcern {
  kind: 'mutual';
  id: string;
  risk: Risk;
  /** Why living together matters. */
  why: string;
  points: number;
}

export type ImpactConcern = DirectedConcern | MutualConcern;

const younger = (presenter: Person, other: Person) => other.dateOfBirth > presenter.dateOfBirth;
const atRiskOf = (risk: Risk) => (_presenter: Person, other: Person) => other.risks.has(risk);
const anyone = () => true;

export const IMPACT_CONCERNS: readonly ImpactConcern[] = [
  { kind: 'directed', id: 'sexual-harm-younger', risk: 'harm-to-others-sexual', towards: younger, vulnerable: 'younger', points: -30 },
  { kind: 'directed', id: 'sexual-harm-cse', risk: 'harm-to-others-sexual', towards: atRiskOf('sexual-exploitation'), vulnerable: 'at risk of sexual exploitation', points: -20 },
  { kind: 'directed', id: 'criminal-harm-cce', risk: 'harm-to-others-criminal', towards: atRiskOf('criminal-exploitation'), vulnerable: 'at risk of criminal exploitation', points: -20 },
  { kind: 'directed', id: 'physical-harm-younger', risk: 'harm-to-others-physical', towards: younger, vulnerable: 'younger', points: -15 },
  { kind: 'directed', id: 'drugs-cce', risk: 'drug-alcohol', towards: atRiskOf('criminal-exploitation'), vulnerable: 'at risk of criminal exploitation', points: -10 },
  { kind: 'directed', id: 'fire-setting-others', risk: 'fire-setting', towards: anyone, points: -10 },
  { kind: 'mutual', id: 'cce-peers', risk: 'criminal-exploitation', why: 'peer recruitment into criminal exploitation', points: -15 },
  { kind: 'mutual', id: 'cse-peers', risk: 'sexual-exploitation', why: 'peer association in sexual exploitation', points: -15 },
  { kind: 'mutual', id: 'missing-peers', risk: 'missing', why: 'going missing together', points: -10 },
  { kind: 'mutual', id: 'drugs-peers', risk: 'drug-alcohol', why: 'shared drug or alcohol use', points: -10 },
];

export interface ImpactFinding {
  concern: string;
  points: number;
  reason: string;
}

/** Every concern between the referred child and the children living there during the period. */
export function impactFindings(child: Person, residents: readonly Person[], concerns: readonly ImpactConcern[] = IMPACT_CONCERNS): ImpactFinding[] {
  const findings: ImpactFinding[] = [];
  for (const concern of concerns) {
    if (concern.kind === 'mutual') {
      const sharing = child.risks.has(concern.risk) ? residents.filter((r) => r.risks.has(concern.risk)).length : 0;
      if (sharing > 0) {
        findings.push({
          concern: concern.id,
          points: concern.points,
          reason: `the child and ${sharing} resident(s) are at risk of ${concern.risk} (${concern.why})`,
        });
      }
      continue;
    }
    const exposed = child.risks.has(concern.risk) ? residents.filter((r) => concern.towards(child, r)).length : 0;
    if (exposed > 0) {
      findings.push({
        concern: concern.id,
        points: concern.points,
        reason: `the child presents ${concern.risk} risk; ${exposed} resident(s) ${concern.vulnerable ? `are ${concern.vulnerable}` : 'live there'}`,
      });
    }
    const presenting = residents.filter((r) => r.risks.has(concern.risk) && concern.towards(r, child)).length;
    if (presenting > 0) {
      findings.push({
        concern: `${concern.id}-to-child`,
        points: concern.points,
        reason: `${presenting} resident(s) present ${concern.risk} risk; the child ${concern.vulnerable ? `is ${concern.vulnerable}` : 'would live with them'}`,
      });
    }
  }
  return findings;
}
