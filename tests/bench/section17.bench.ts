/**
 * Section 17 at volume against DynamoDB Local: the time to apply for, decide
 * and post 10,000 awards (through the same service the API uses, and the
 * ledger the ledger-poster uses), and the report time for a year of them.
 *
 *   npm run bench -- section17        (BENCH_AWARDS, default 10000; BENCH_CONCURRENCY, default 16)
 */
import { DynamoLedger } from '#lib/ledger/dynamo-ledger';
import type { Journal } from '#lib/ledger/journal';
import { ApplicationRequest } from '#lib/section17/application';
import { DynamoAwardStore } from '#lib/section17/dynamo-award-store';
import { DEFAULT_GUIDANCE } from '#lib/section17/guidance';
import { DECIDED_STATUSES, againstBudgetAndBaseline, decisionStats, spendLines, sumBy } from '#lib/section17/report';
import { Section17Service } from '#lib/section17/section17-service';
import type { Actor } from '#lib/section17/award';
import { startEmulatorStack } from './emulator-stack';
import { BenchRecorder } from './results';
import { percentile, runPool } from './stats';

const AWARDS = Number(process.env.BENCH_AWARDS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const CATEGORIES = [
  { category: 'CLOTHING', amountPence: 9_000, evidence: ['child-in-need-assessment'] },
  { category: 'FOOD', amountPence: 5_000, evidence: ['child-in-need-assessment'] },
  { category: 'UTILITIES', amountPence: 4_000, evidence: ['child-in-need-assessment'] },
  { category: 'CONTACT_TRAVEL', amountPence: 6_000, evidence: ['contact-plan'] },
  { category: 'PSYCHOLOGIST', amountPence: 180_000, evidence: ['court-direction-or-care-plan'] },
];
const TEAMS = ['East', 'West', 'North', 'Coast'];
const socialWorker: Actor = { subject: 'sw', name: 'sw@council.example', roles: ['social-worker'] };
const headOfService: Actor = { subject: 'hos', name: 'hos@council.example', roles: ['head-of-service'] };

const stack = await startEmulatorStack();
try {
  const resources = await stack.provision('bench-s17');
  const db = stack.documentClient();
  const ledger = new DynamoLedger(db, resources.LedgerTable!.name);
  // The ledger-poster's work, done in process: post each journal as it is sent.
  const publisher = { publish: async (journal: Journal) => void (await ledger.post(journal, '2027-03-31T12:00:00.000Z')) };
  let day = 0;
  const clock = { nowMs: () => Date.parse('2026-04-01T09:00:00Z') + (day % 365) * 86_400_000 };
  const service = new Section17Service(new DynamoAwardStore(db, resources.Section17Table!.name), publisher, DEFAULT_GUIDANCE, clock);

  const request = (i: number) => {
    const c = CATEGORIES[i % CATEGORIES.length]!;
    return ApplicationRequest.parse({
      childReference: `NT-CIN-${String(i % 4_000).padStart(5, '0')}`,
      team: TEAMS[i % TEAMS.length],
      category: c.category,
      // One in fifty asks for more than the category allows, so refusals are exercised too.
      amountPence: i % 50 === 0 ? 1_000_000 : c.amountPence,
      basis: 'one-off',
      startDate: new Date(Date.parse('2026-04-01T00:00:00Z') + (i % 365) * 86_400_000).toISOString().slice(0, 10),
      payee: { type: c.category === 'PSYCHOLOGIST' ? 'supplier' : 'voucher', reference: 'bench' },
      evidence: c.evidence.map((type) => ({ type, reference: 'bench' })),
      justification: 'benchmark',
    });
  };

  const started = performance.now();
  let approved = 0;
  const run = await runPool(AWARDS, CONCURRENCY, async (i) => {
    day = i;
    const award = await service.apply(`bench-${i}`, request(i), socialWorker);
    if (award.status === 'awaiting-approval') {
      await service.decide(award.applicationId, headOfService, { decision: 'approve', reason: 'benchmark' });
      approved++;
    }
  });
  const decideSeconds = (performance.now() - started) / 1000;

  const months = Array.from({ length: 12 }, (_, m) => `${m < 9 ? 2026 : 2027}-${String(((m + 3) % 12) + 1).padStart(2, '0')}`);
  const t0 = performance.now();
  const journals = (await Promise.all(months.map((m) => ledger.allJournalsInPeriod(m)))).flat();
  const t1 = performance.now();
  const lines = spendLines(journals);
  const byDimension = (['category', 'account', 'team', 'child', 'month'] as const).map((d) => sumBy(lines, d));
  const budget = againstBudgetAndBaseline(lines, 2026, '2027-03-31');
  const t2 = performance.now();
  // As GET /api/section17/reports/decisions reads them.
  const awards = await service.allInYear(DECIDED_STATUSES, 2026);
  const stats = decisionStats(awards);
  const t3 = performance.now();

  const recorder = new BenchRecorder('section17');
  recorder.table(`Section 17: ${AWARDS} applications at concurrency ${CONCURRENCY} (${approved} approved and posted, ${AWARDS - approved} refused by guidance)`, [
    {
      'applications': AWARDS,
      'total s': decideSeconds.toFixed(1),
      'per award ms (apply+decide+post)': ((decideSeconds * 1000) / AWARDS).toFixed(2),
      'p50 ms': percentile(run.latencies, 50).toFixed(1),
      'p99 ms': percentile(run.latencies, 99).toFixed(1),
    },
  ]);
  recorder.table(`Reports for financial year 2026/27 (${journals.length} journals, ${lines.length} Section 17 lines, ${awards.length} decided applications)`, [
    { report: 'read a year of journals (12 period queries)', ms: (t1 - t0).toFixed(0) },
    { report: 'spend by 5 dimensions + budget/baseline', ms: (t2 - t1).toFixed(0) },
    { report: 'decisions by rule and role (byStatus reads)', ms: (t3 - t2).toFixed(0) },
  ]);
  recorder.measure({ measure: 'Section 17: apply, decide and post one award (concurrency 16, p50)', figure: Number(percentile(run.latencies, 50).toFixed(1)), unit: 'ms' });
  recorder.measure({ measure: 'Section 17: spend by 5 dimensions + budget/baseline from a year of journals', figure: Math.round(t2 - t1), unit: 'ms' });
  recorder.write();
  console.log(`check: category total ${byDimension[0]!.reduce((s, r) => s + r.pence, 0)} pence; 04130-3019 spend ${budget.accounts[0]!.spendPence}; refusals ${stats.refusedByRule.map((r) => `${r.rule}=${r.count}`).join(', ')}`);
} finally {
  await stack.stop();
}
