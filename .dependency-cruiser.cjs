/**
 * The dependency rules of lib/ (see docs/architecture.md, "Contexts and their dependencies").
 * tests/unit/architecture.test.ts runs them in `npm test`; `npm run deps` prints the report.
 *
 * Every folder of lib/ is a context, listed below with the contexts it may use; the kernel (the
 * plain modules every context shares) uses no context. The map must have no cycle (checked when this
 * file loads), so the rules forbid every cycle between contexts.
 */

/**
 * The shared kernel: dates and the calendar kernel (time/: ISO dates, periods, a home's holds, a bed's
 * stays), money, errors, validation, code lists, the messages that cross contexts on queues (contracts/),
 * reference data, AWS clients.
 */
const KERNEL = ['clock.ts', 'config.ts', 'csv.ts', 'errors.ts', 'money.ts', 'pool.ts', 'stack-clock.ts', 'validation.ts', 'time/', 'codes/', 'contracts/', 'aws/', 'reference-data/'];

/** Each context and the contexts it may use (besides the kernel and itself). */
const CONTEXTS = {
  auth: [],
  http: ['auth'],
  webhooks: [],
  referrals: ['auth', 'http', 'webhooks'],
  estate: ['referrals'],
  matching: ['referrals', 'estate'],
  placements: ['auth', 'http', 'referrals', 'estate', 'matching'],
  ledger: ['referrals'],
  invoicing: ['referrals', 'estate', 'placements', 'ledger'],
  outbound: ['webhooks', 'invoicing'],
  payments: ['invoicing', 'ledger'],
  section17: ['referrals', 'ledger'],
  'void-beds': ['referrals', 'estate', 'matching', 'placements'],
  kpis: ['estate', 'placements', 'ledger', 'invoicing', 'section17'],
  'go-live': ['auth', 'referrals', 'estate', 'placements'],
  api: ['auth', 'http', 'referrals', 'estate', 'matching', 'placements', 'ledger', 'invoicing', 'outbound', 'payments', 'section17', 'void-beds', 'kpis', 'go-live'],
  console: ['auth', 'http', 'api', 'referrals', 'estate', 'matching', 'placements', 'ledger', 'invoicing', 'outbound', 'payments', 'section17', 'void-beds', 'kpis', 'go-live'],
};

/**
 * Every context has a front door: others use it only through `index.ts` (what it offers) or `ports.ts`
 * (what it needs, for adapters to implement).
 */
const FRONT_DOORS = ['auth', 'http', 'referrals', 'estate', 'matching', 'placements', 'ledger', 'invoicing', 'outbound', 'payments', 'section17', 'void-beds', 'kpis', 'go-live', 'webhooks', 'api', 'console'];

/**
 * Public modules kept out of a context's index.ts because they are heavy: a bundle that does not use
 * them must not load them (an index re-export keeps a module with top-level effects in every bundle
 * that imports the index). PDF rendering loads pdf-lib: only the delivery sender and the API render.
 */
const SIDE_DOORS = { invoicing: ['document-pdf.ts'] };

/** Every rule fails `npm test` (tests/unit/architecture.test.ts). */
const severity = () => 'error';

/** Adapters: the only modules of lib/ that talk to AWS. Everything else is domain and depends on ports. */
const ADAPTER = '(^|/)(dynamo|sqs|sns|ses)-[^/]+\\.ts$';

const names = Object.keys(CONTEXTS);
for (const [context, uses] of Object.entries(CONTEXTS)) {
  for (const used of uses) if (!names.includes(used)) throw new Error(`context map: ${context} uses ${used}, which is not a context`);
}
(function assertAcyclic() {
  const state = new Map();
  const visit = (context, path) => {
    if (state.get(context) === 'done') return;
    if (state.get(context) === 'visiting') throw new Error(`context map has a cycle: ${[...path, context].join(' → ')}`);
    state.set(context, 'visiting');
    for (const used of CONTEXTS[context]) visit(used, [...path, context]);
    state.set(context, 'done');
  };
  for (const context of names) visit(context, []);
})();

const escape = (s) => s.replace(/[.]/g, '\\.');
const kernelPath = `^lib/(${KERNEL.map(escape).join('|')})`;
const contextPath = (list) => `^lib/(${list.map(escape).join('|')})/`;

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No module imports itself through others.',
      severity: severity('no-circular'),
      from: {},
      to: { circular: true },
    },
    {
      name: 'kernel-uses-no-context',
      comment: 'The kernel sits under every context, so it may use none of them.',
      severity: severity('kernel-uses-no-context'),
      from: { path: kernelPath },
      to: { path: contextPath(names) },
    },
    ...Object.entries(CONTEXTS).map(([context, uses]) => {
      const forbidden = names.filter((n) => n !== context && !uses.includes(n));
      return {
        name: `context-map/${context}`,
        comment: `${context} may use only ${uses.length ? uses.join(', ') : 'the kernel'} (.dependency-cruiser.cjs CONTEXTS).`,
        severity: severity('context-map'),
        from: { path: `^lib/${escape(context)}/` },
        to: { path: contextPath(forbidden) },
      };
    }),
    {
      name: 'every-folder-is-mapped',
      comment: 'A new folder of lib/ is a context: add it to CONTEXTS (or KERNEL) in .dependency-cruiser.cjs with the contexts it may use.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^lib/[^/]+/', pathNot: [kernelPath, contextPath(names)].join('|') },
    },
    ...FRONT_DOORS.map((context) => ({
      name: `front-door/${context}`,
      comment: `Other contexts use ${context} through #lib/${context} (its index.ts), its ports.ts${SIDE_DOORS[context] ? ` or ${SIDE_DOORS[context].join(', ')}` : ''}, never its other files.`,
      severity: severity('front-door'),
      from: { path: '^lib/', pathNot: [`^lib/${escape(context)}/`, ADAPTER].join('|') },
      to: { path: `^lib/${escape(context)}/`, pathNot: `^lib/${escape(context)}/(${['index.ts', 'ports.ts', ...(SIDE_DOORS[context] ?? [])].map(escape).join('|')})$` },
    })),
    {
      name: 'lib-is-not-wired-here',
      comment: 'lib/ holds contexts and adapters, never their wiring: composition roots are functions/<name>/ (handler.ts, wiring.ts) and the local tools in infra/local; lib/ imports neither.',
      severity: severity('lib-is-not-wired-here'),
      from: { path: '^lib/' },
      to: { path: '^(functions|infra)/' },
    },
    {
      name: 'domain-without-aws',
      comment: 'Domain code has no AWS imports: only adapters (dynamo-*, sqs-*, sns-*, ses-* files) and lib/aws talk to AWS.',
      severity: severity('domain-without-aws'),
      from: { path: '^lib/', pathNot: [ADAPTER, '^lib/aws/'].join('|') },
      to: { path: ['^node_modules/@aws-sdk/', '^lib/aws/'].join('|') },
    },
    {
      name: 'domain-depends-on-ports',
      comment: 'Domain code depends on ports (interfaces), never on an adapter: wiring adapters in is the composition root\'s job (functions/<name>/).',
      severity: severity('domain-depends-on-ports'),
      from: { path: '^lib/', pathNot: ADAPTER },
      to: { path: `^lib/.*${ADAPTER.replace('(^|/)', '/')}` },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: require('node:path').join(__dirname, 'tsconfig.json') },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^lib/reference-data/' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.json'] },
  },
};
