import { describe, expect, it } from 'vitest';
import { AwardConflict, AwardForbidden, cancel, decide, dueForReapproval, reduce, requestReapproval, submit, type Actor } from '#lib/section17/award';
import { DEFAULT_GUIDANCE as guidance } from '#lib/section17/guidance';
import { movements, total } from '#lib/ledger/journal';
import { applicationRequest as request } from '#tests/support/section17';

const socialWorker: Actor = { subject: 'sw-1', name: 'sw1@council.example', roles: ['social-worker'] };
const teamManager: Actor = { subject: 'tm-1', name: 'tm1@council.example', roles: ['team-manager'] };
const serviceManager: Actor = { subject: 'sm-1', name: 'sm1@council.example', roles: ['service-manager'] };
const headOfService: Actor = { subject: 'hos-1', name: 'hos@council.example', roles: ['head-of-service'] };
const AT = '2026-11-23T10:00:00.000Z';


describe('a Section 17 award from application to ledger', () => {
  it('a refused application records the rule and the guidance version, and posts nothing', () => {
    const award = submit('A1', request({ amountPence: 20_000 }), socialWorker, guidance, 0, AT);
    expect(award).toMatchObject({ status: 'refused', refusal: { rule: 'over-award-cap' }, postings: [] });
    expect(award.decisions[0]).toMatchObject({ decision: 'refuse', role: 'guidance', guidanceVersion: '2018-01' });
  });

  it('an approval records who, in what role, when, why and under which guidance, and posts a balanced journal', () => {
    const submitted = submit('A2', request(), socialWorker, guidance, 0, AT);
    const { award, journal } = decide(submitted, teamManager, { decision: 'approve', reason: 'Meets the guidance' }, guidance, AT);

    expect(award.status).toBe('approved');
    expect(award.decisions.at(-1)).toMatchObject({ decision: 'approve', by: teamManager, role: 'team-manager', at: AT, reason: 'Meets the guidance', guidanceVersion: '2018-01' });
    expect(journal!.lines.map((l) => [l.account, l.debitPence, l.creditPence])).toEqual([
      ['04130-3019', 12_000, 0],
      ['99000-9300', 0, 12_000], // a voucher is paid from the bank / payment card account
    ]);
    expect(total(journal!.lines, 'debitPence')).toBe(total(journal!.lines, 'creditPence'));
    expect(journal!.lines[0]!.analysis).toEqual({ team: 'Safeguarding East', category: 'CLOTHING', child: 'NT-CIN-1001', payee: 'voucher' });
  });

  it('professional fees to a supplier debit 04130-2904 and credit creditors', () => {
    const fee = request({ category: 'PSYCHOLOGIST', amountPence: 150_000, payee: { type: 'supplier', reference: 'SUP-0042' }, evidence: [{ type: 'court-direction-or-care-plan', reference: 'C-1' }] });
    const { journal } = decide(submit('A3', fee, socialWorker, guidance, 0, AT), headOfService, { decision: 'approve', reason: 'Court directed' }, guidance, AT);
    expect(journal!.lines.map((l) => l.account)).toEqual(['04130-2904', '99000-9200']);
  });

  it('refuses self-approval, even by a head of service', () => {
    const own = submit('A4', request(), headOfService, guidance, 0, AT);
    expect(() => decide(own, headOfService, { decision: 'approve', reason: 'mine' }, guidance, AT)).toThrow(AwardForbidden);
  });

  it.each([
    [25_000, teamManager, true],
    [25_001, teamManager, false],
    [25_001, serviceManager, true],
    [100_000, serviceManager, true],
    [100_001, serviceManager, false],
    [100_001, headOfService, true],
  ])('an NRPF accommodation award of %i pence: approver %o may approve: %s', (pence, approver, allowed) => {
    const nrpf = request({ category: 'NRPF_ACCOMMODATION', amountPence: pence, evidence: [{ type: 'child-in-need-assessment', reference: 'a' }, { type: 'nrpf-assessment', reference: 'b' }] });
    const award = submit('A5', nrpf, socialWorker, guidance, 0, AT);
    const attempt = () => decide(award, approver, { decision: 'approve', reason: 'ok' }, guidance, AT);
    if (allowed) expect(attempt().award.status).toBe('approved');
    else expect(attempt).toThrow(/needs a (service-manager|head-of-service)/);
  });

  it('a recurring award needs re-approval after six weeks, and each period posts its own journal', () => {
    const weekly = request({ category: 'FOOD', amountPence: 4_000, basis: 'recurring', startDate: '2026-11-02', endDate: '2027-01-25' });
    const first = decide(submit('A6', weekly, socialWorker, guidance, 0, AT), teamManager, { decision: 'approve', reason: 'ok' }, guidance, AT);
    expect(first.award.period).toMatchObject({ index: 1, from: '2026-11-02', until: '2026-12-13', valuePence: 24_000 });
    expect(dueForReapproval(first.award, '2026-12-06')).toBe(false);
    expect(dueForReapproval(first.award, '2026-12-07')).toBe(true);

    const reopened = requestReapproval(first.award, guidance, socialWorker, '2026-12-07');
    expect(reopened).toMatchObject({ status: 'awaiting-reapproval', period: { index: 2, from: '2026-12-14', until: '2027-01-24', valuePence: 24_000 } });
    const second = decide(reopened, teamManager, { decision: 'approve', reason: 'still needed' }, guidance, '2026-12-10T09:00:00.000Z');
    expect(second.journal!.idempotencyKey).toBe('s17:A6:2');

    const last = requestReapproval(second.award, guidance, teamManager, '2027-01-18');
    expect(last.period).toMatchObject({ index: 3, from: '2027-01-25', until: '2027-01-25', valuePence: 4_000 });
    expect(() => requestReapproval(decide(last, teamManager, { decision: 'approve', reason: 'last' }, guidance, AT).award, guidance, socialWorker, '2027-01-25')).toThrow(AwardConflict);
  });

  it('only the applicant or an approver asks for the next period, and only in the 7 days before the approved one ends', () => {
    const weekly = request({ category: 'FOOD', amountPence: 4_000, basis: 'recurring', startDate: '2026-11-02', endDate: '2027-01-25' });
    const approved = decide(submit('A6b', weekly, socialWorker, guidance, 0, AT), teamManager, { decision: 'approve', reason: 'ok' }, guidance, AT).award;
    const anotherSocialWorker: Actor = { subject: 'sw-2', name: 'another', roles: ['social-worker'] };
    // The approved period runs to 13 December: asking opens on the 7th.
    expect(() => requestReapproval(approved, guidance, anotherSocialWorker, '2026-12-10')).toThrow(expect.objectContaining({ status: 403, type: 'not-applicant-or-approver' }));
    expect(() => requestReapproval(approved, guidance, socialWorker, '2026-11-20')).toThrow(expect.objectContaining({ status: 409, type: 'reapproval-not-due', message: expect.stringMatching(/from 2026-12-07/) }));
    expect(() => requestReapproval(approved, guidance, teamManager, '2026-12-06')).toThrow(/from 2026-12-07/);
    expect(requestReapproval(approved, guidance, socialWorker, '2026-12-07').status).toBe('awaiting-reapproval');
    expect(requestReapproval(approved, guidance, teamManager, '2026-12-13').status).toBe('awaiting-reapproval');
  });

  it('a cancelled award is reversed by contra journals, and the accounts net to nothing', () => {
    const later = request({ startDate: '2026-12-07' });
    const approved = decide(submit('A7', later, socialWorker, guidance, 0, AT), teamManager, { decision: 'approve', reason: 'ok' }, guidance, AT);
    const { award, journals } = cancel(approved.award, teamManager, 'family moved away', '2018-01', '2026-11-30T12:00:00.000Z');

    expect(award.status).toBe('cancelled');
    expect(journals).toHaveLength(1);
    expect(journals[0]).toMatchObject({ reverses: 's17:A7:1', date: '2026-11-30', source: { type: 'section17-adjustment', id: 'A7' } });
    const net = new Map<string, number>();
    for (const j of [approved.journal!, ...journals]) for (const [a, m] of movements(j)) net.set(a, (net.get(a) ?? 0) + m.debitPence - m.creditPence);
    expect([...net.values()]).toEqual([0, 0]);
    expect(award.postings[0]!.reversedBy).toBe('contra:s17:A7:1');
    expect(() => cancel(award, teamManager, 'again', '2018-01', AT)).toThrow(AwardConflict);
  });

  it('cancelling part-way through a recurring period reverses it and re-posts only the payments already made', () => {
    const weekly = request({ category: 'FOOD', amountPence: 4_000, basis: 'recurring', startDate: '2026-11-02', endDate: '2027-01-25' });
    const approved = decide(submit('A8', weekly, socialWorker, guidance, 0, AT), teamManager, { decision: 'approve', reason: 'ok' }, guidance, AT);
    // Payments on 2, 9, 16 and 23 November have been made by 23 November; 30 November and 7 December have not.
    const { journals } = cancel(approved.award, teamManager, 'family rehoused', '2018-01', '2026-11-23T15:00:00.000Z');
    expect(journals.map((j) => [j.idempotencyKey, total(j.lines, 'debitPence')])).toEqual([
      ['contra:s17:A8:1', 24_000],
      ['s17:A8:1:restated:2026-11-23', 16_000],
    ]);
  });

  it('reducing a recurring award lowers the payments not yet made, now and in later periods', () => {
    const weekly = request({ category: 'FOOD', amountPence: 4_000, basis: 'recurring', startDate: '2026-11-02', endDate: '2027-01-25' });
    const approved = decide(submit('A9', weekly, socialWorker, guidance, 0, AT), teamManager, { decision: 'approve', reason: 'ok' }, guidance, AT);
    const { award, journals } = reduce(approved.award, 2_500, teamManager, 'family now receives benefits', '2018-01', '2026-11-23T15:00:00.000Z');
    // 4 × £40 paid + 2 × £25 to come = £210
    expect(journals.map((j) => total(j.lines, 'debitPence'))).toEqual([24_000, 21_000]);
    expect(award.request.amountPence).toBe(2_500);
    expect(requestReapproval(award, guidance, socialWorker, '2026-12-10').period.valuePence).toBe(6 * 2_500);
  });

  it('a second reduction keeps what was paid at each earlier amount', () => {
    const weekly = request({ category: 'FOOD', amountPence: 4_000, basis: 'recurring', startDate: '2026-11-02', endDate: '2027-01-25' });
    const approved = decide(submit('A10', weekly, socialWorker, guidance, 0, AT), teamManager, { decision: 'approve', reason: 'ok' }, guidance, AT);
    const once = reduce(approved.award, 2_500, teamManager, 'first', '2018-01', '2026-11-23T15:00:00.000Z');
    // By 30 November one more payment (30 Nov at £25) is made; the last (7 Dec) drops to £10.
    const twice = reduce(once.award, 1_000, teamManager, 'second', '2018-01', '2026-11-30T15:00:00.000Z');
    expect(twice.journals.map((j) => total(j.lines, 'debitPence'))).toEqual([21_000, 4 * 4_000 + 2_500 + 1_000]);
  });
});
