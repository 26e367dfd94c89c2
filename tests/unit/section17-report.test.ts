import { describe, expect, it } from 'vitest';
import { ApplicationRequest } from '#lib/section17/application';
import { cancel, decide, submit, type Actor } from '#lib/section17/award';
import { DEFAULT_GUIDANCE as guidance } from '#lib/section17/guidance';
import { againstBudgetAndBaseline, decisionStats, spendLines, sumBy } from '#lib/section17/report';
import type { Journal } from '#lib/ledger/journal';
import { fixedClock } from '#lib/clock';
import type { AwardStatus } from '#lib/section17/award';
import type { AwardStore } from '#lib/section17/ports';
import { Section17Service } from '#lib/section17/section17-service';

const sw: Actor = { subject: 'sw', name: 'sw', roles: ['social-worker'] };
const tm: Actor = { subject: 'tm', name: 'tm', roles: ['team-manager'] };
const hos: Actor = { subject: 'hos', name: 'hos', roles: ['head-of-service'] };
const AT = '2026-11-23T10:00:00.000Z';
const cin = [{ type: 'child-in-need-assessment', reference: 'a' }];

const req = (o: Record<string, unknown>) =>
  ApplicationRequest.parse({ team: 'East', payee: { type: 'voucher', reference: 'v' }, basis: 'one-off', startDate: '2026-12-01', evidence: cin, justification: 'j', ...o });

/** A small year: three approvals, one cancellation, two refusals. */
function scenario() {
  const journals: Journal[] = [];
  const a1 = decide(submit('S1', req({ childReference: 'C1', category: 'CLOTHING', amountPence: 12_000 }), sw, guidance, 0, AT), tm, { decision: 'approve', reason: 'ok' }, guidance, AT);
  const a2 = decide(submit('S2', req({ childReference: 'C2', team: 'West', category: 'FOOD', amountPence: 7_500 }), sw, guidance, 0, AT), tm, { decision: 'approve', reason: 'ok' }, guidance, AT);
  const fee = req({ childReference: 'C1', category: 'TOXICOLOGY', amountPence: 250_000, payee: { type: 'supplier', reference: 's' }, evidence: [{ type: 'court-direction-or-care-plan', reference: 'c' }] });
  const a3 = decide(submit('S3', fee, sw, guidance, 0, AT), hos, { decision: 'approve', reason: 'court' }, guidance, AT);
  const cancelled = cancel(a2.award, tm, 'not needed', guidance.version, '2026-11-25T10:00:00.000Z');
  journals.push(a1.journal!, a2.journal!, a3.journal!, ...cancelled.journals);
  const refused = [
    submit('S4', req({ childReference: 'C3', category: 'CLOTHING', amountPence: 20_000 }), sw, guidance, 0, AT),
    submit('S5', req({ childReference: 'C3', category: 'UTILITIES', amountPence: 4_000, evidence: [] }), sw, guidance, 0, AT),
  ];
  return { journals, awards: [a1.award, cancelled.award, a3.award, ...refused] };
}

describe('Section 17 reports', () => {
  it('spend by category, team, child and month nets reversals, and every report totals the postings on the Section 17 accounts', () => {
    const { journals } = scenario();
    const lines = spendLines(journals);
    const postingsOnS17 = journals.flatMap((j) => j.lines).filter((l) => ['04130-3019', '04130-2904'].includes(l.account)).reduce((s, l) => s + l.debitPence - l.creditPence, 0);

    expect(sumBy(lines, 'category')).toEqual([
      { key: 'CLOTHING', pence: 12_000 },
      { key: 'FOOD', pence: 0 },
      { key: 'TOXICOLOGY', pence: 250_000 },
    ]);
    expect(sumBy(lines, 'account')).toEqual([
      { key: '04130-2904', pence: 250_000 },
      { key: '04130-3019', pence: 12_000 },
    ]);
    expect(sumBy(lines, 'child')).toEqual([
      { key: 'C1', pence: 262_000 },
      { key: 'C2', pence: 0 },
    ]);
    for (const dimension of ['account', 'category', 'team', 'child', 'month'] as const) {
      expect(sumBy(lines, dimension).reduce((s, r) => s + r.pence, 0)).toBe(postingsOnS17);
    }
  });

  it('compares spend with the budget and with the 2016/17 baseline pro rata to date', () => {
    const { journals } = scenario();
    const report = againstBudgetAndBaseline(spendLines(journals), 2026, '2026-09-30');
    // 1 April – 30 September is 183 of 365 days: £74,213 × 183 / 365 = £37,208.16…
    const support = report.accounts.find((a) => a.account === '04130-3019')!;
    expect(support).toEqual({ account: '04130-3019', spendPence: 12_000, budgetPence: 5_921_300, baselineToDatePence: 3_720_816, savingsToDatePence: 3_708_816 });
    expect(report.savingsTarget).toEqual({ account: '04130-3019', pence: 1_500_000, achievedPence: 3_708_816 });
  });

  it('counts refusals by rule and approvals by approver role, with their value', () => {
    expect(decisionStats(scenario().awards)).toEqual({
      refusedByRule: [
        { rule: 'missing-evidence', count: 1, pence: 4_000 },
        { rule: 'over-award-cap', count: 1, pence: 20_000 },
      ],
      approvedByRole: [
        { role: 'head-of-service', count: 1, pence: 250_000 },
        { role: 'team-manager', count: 2, pence: 19_500 },
      ],
    });
  });
});

describe('every award of a year, for a report (Section17Service.allInYear)', () => {
  /** A store holding `counts[status]` awards per status, answering pages of at most `limit` with a cursor after each full one. */
  function pagingStore(counts: Partial<Record<AwardStatus, number>>) {
    const pageSizes: number[] = [];
    const { awards } = scenario();
    const store: Pick<AwardStore, 'listByStatus'> = {
      async listByStatus(status, _financialYear, cursor, limit = 50) {
        pageSizes.push(limit);
        const from = (cursor?.at as number | undefined) ?? 0;
        const to = Math.min(counts[status] ?? 0, from + limit);
        const page = Array.from({ length: to - from }, (_, i) => ({ ...awards[0]!, applicationId: `${status}-${from + i}`, status }));
        return { awards: page, cursor: to < (counts[status] ?? 0) ? { at: to } : undefined };
      },
    };
    return { store: store as AwardStore, pageSizes };
  }

  it('reads each status to its last page, 500 awards a query: 1,234 approved, 3 refused and none cancelled in 3 + 1 + 1 queries', async () => {
    // Prepare
    const { store, pageSizes } = pagingStore({ approved: 1_234, refused: 3 });
    const service = new Section17Service(store, { publish: async () => undefined }, guidance, fixedClock(AT));

    // Act
    const awards = await service.allInYear(['refused', 'approved', 'cancelled'], 2026);

    // Assess
    expect(awards.filter((a) => a.status === 'approved').map((a) => a.applicationId)).toEqual(Array.from({ length: 1_234 }, (_, i) => `approved-${i}`));
    expect(awards.filter((a) => a.status === 'refused')).toHaveLength(3);
    expect(pageSizes).toEqual([500, 500, 500, 500, 500]);
  });
});
