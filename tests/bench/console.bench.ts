/**
 * The console's pages on a year of data: each page's server time (p50/p95) and its weight
 * compressed, on the local stack (`npm start`'s runner on the bundled app: the HTTP gateway, the
 * console function in its Lambda worker, DynamoDB Local).
 *
 *   npm run bench -- console     (BENCH_N timed loads of each page, default 20; BENCH_PLACEMENTS, default 5000)
 *
 * The data: 200 homes of six beds, 5,000 placements back to back over the year to the stack's
 * "now" (17 March 2027) with their bed histories and the homes' calendars, 1,000 Section 17
 * journals with the ledger balances their postings keep (tests/bench/year-of-data.ts, shared with
 * the KPI bench) written straight into the tables; then, through the stack as people would: 30
 * referrals through the webhook (the matcher proposes beds for each over the 200 homes),
 * February's invoicing run, the void-bed monitor's daily check, a dozen Section 17 applications
 * (half approved) and BENCH_FORMS more to decide.
 *
 * Server time is the console function's own Duration (its Lambda REPORT line), as CloudWatch would
 * show it; the round trip through the local gateway is beside it. Each page is loaded twice
 * untimed first (the function warm, the KPI figures cached as the page keeps them for five
 * minutes: the first load's time is shown too). Then BENCH_FORMS (default 10) submissions of two
 * forms, each a real decision: a team manager approving an application, a placements officer
 * offering a bed from a referral's proposal (the POST's server time, as for the pages). Page
 * weight: the HTML plus every stylesheet, script and image it loads from our origin, gzip and
 * brotli (there are no fonts: GDS Transport is for GOV.UK's domains only, so text is Arial).
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PROJECT_ROOT } from '#infra/local/assembly';
import { startLocalStack, type LocalStack } from '#infra/local/runner';
import type { Role } from '#lib/auth/roles';
import { bedHistoryItem, calendarItem } from '#lib/estate/estate-items';
import { estateSeedTarget } from '#infra/local/seed-local';
import type { Hold } from '#lib/time/home-calendar';
import type { Placement } from '#lib/placements/schema';
import { addDays, monthOf, previousMonth } from '#lib/time/calendar';
import { seedPlacements } from '#tests/support/invoicing-world';
import { applicationBody } from '#tests/support/section17';
import { bundledAssembly, eventually, postSignedDelivery, tempDir } from '#tests/e2e/support';
import { BenchRecorder } from './results';
import { percentile } from './stats';
import { batchPut, benchHomes, ledgerItemsOf, section17Journals, yearOfPlacements } from './year-of-data';
import { callApi } from '#tests/browser/support/api';

const N = Number(process.env.BENCH_N ?? 20);
const PLACEMENTS = Number(process.env.BENCH_PLACEMENTS ?? 5_000);
const HOMES = 200;
const REFERRALS = 30;
const NOW = '2027-03-17T10:00:00.000Z';
const TODAY = NOW.slice(0, 10);
const YEAR = { from: addDays(TODAY, -365), to: TODAY };
/** Timed submissions of each form (each a new decision: an application decided, a bed offered). */
const FORMS = Math.min(N, Number(process.env.BENCH_FORMS ?? 10));
const GOAL_MS = 300;
const GOAL_KB = 200;

const recorder = new BenchRecorder('console');

/** A fixed UUID for a generated id (the API takes placement ids as UUIDs). */
function uuidOf(id: string): string {
  const hex = createHash('sha256').update(id).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** What a placement looks like once the clock reaches `today` (an end still to come is not recorded yet), with a UUID. */
function asAt(p: Placement, today: string): Placement {
  const withId = { ...p, placementId: uuidOf(p.placementId) };
  if (!withId.ending || withId.ending.endDate <= today) return withId;
  const { ending: _ending, ...open } = withId;
  return { ...open, status: 'active', version: 1 };
}

async function seedYear(stack: LocalStack): Promise<{ placements: Placement[]; homeIds: string[] }> {
  const info = stack.info;
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: info.region, endpoint: info.endpoints.dynamodb, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const tables = { estate: info.tables.EstateTable!, referrals: info.tables.ReferralsTable!, placements: info.tables.PlacementsTable!, ledger: info.tables.LedgerTable! };
  const homes = benchHomes(HOMES);
  const placements = yearOfPlacements(homes, PLACEMENTS, YEAR)
    .filter((p) => p.startDate < TODAY)
    .map((p) => asAt(p, TODAY));

  // Homes through the placements context's decisions (which claim each bed id), as the seed does.
  const target = estateSeedTarget(db, tables);
  for (let i = 0; i < homes.length; i += 10) await Promise.all(homes.slice(i, i + 10).map((h) => target.createHome(h)));

  const byBed = new Map<string, Placement[]>();
  for (const p of placements) byBed.set(p.bedId, [...(byBed.get(p.bedId) ?? []), p]);
  const histories = homes.flatMap((h) =>
    h.beds.map((b) =>
      bedHistoryItem({ homeId: h.id, bedId: b.id, version: 1, stays: (byBed.get(b.id) ?? []).map((p) => ({ id: p.placementId, from: p.startDate, ...(p.ending ? { to: p.ending.endDate } : {}) })) }),
    ),
  );
  const calendars = homes.map((h) =>
    calendarItem({
      homeId: h.id,
      version: 1,
      holds: h.beds.flatMap((b) =>
        (byBed.get(b.id) ?? [])
          .filter((p) => !p.ending || p.ending.endDate > TODAY)
          .map((p): Hold => ({ id: p.placementId, bedId: b.id, kind: 'placement', from: p.startDate, ...(p.ending ? { to: p.ending.endDate } : {}), resident: p.resident })),
      ),
    }),
  );
  await batchPut(db, tables.estate, [...histories, ...calendars]);
  await seedPlacements(db, tables.placements, placements, 16);
  await batchPut(db, tables.ledger, ledgerItemsOf(section17Journals(YEAR)));
  return { placements, homeIds: homes.map((h) => h.id) };
}

async function throughTheStack(stack: LocalStack): Promise<{ referralIds: string[]; invoiceNumber: string; applicationIds: string[] }> {
  const template = JSON.parse(readFileSync(join(PROJECT_ROOT, 'events/referrals/created.json'), 'utf8'));
  const sceneStarted = performance.now();
  const referralIds = Array.from({ length: REFERRALS }, (_, i) => `BENCH-${String(i).padStart(3, '0')}-${randomUUID().slice(0, 4).toUpperCase()}`);
  for (const [i, referralId] of referralIds.entries()) {
    const body = structuredClone(template);
    body.data.referralId = referralId;
    body.data.referralDate = addDays(TODAY, -3);
    body.data.sought.neededFrom = addDays(TODAY, (i % 20) - 5);
    const answer = await postSignedDelivery(stack.info, JSON.stringify(body));
    if (answer.status !== 202) throw new Error(`referral ${referralId}: webhook answered ${answer.status} ${JSON.stringify(answer.json)}`);
  }
  await eventually(
    async () => {
      const answers = await Promise.all(referralIds.map((id) => callApi(stack, 'placements-officer', 'GET', `/api/referrals/${id}`)));
      return answers.every((a) => a.status === 200 && a.body.latestProposal);
    },
    300_000,
    'every referral proposed',
  );

  console.log(`${REFERRALS} referrals proposed (${((performance.now() - sceneStarted) / 1000).toFixed(0)} s)`);
  const month = previousMonth(monthOf(TODAY));
  const started = await callApi(stack, 'finance', 'POST', '/api/invoicing/runs', { month });
  if (started.status >= 300) throw new Error(`invoicing run for ${month}: ${started.status} ${JSON.stringify(started.body)}`);
  await eventually(async () => (await callApi(stack, 'finance', 'GET', `/api/invoicing/runs/${month}`)).body?.status === 'complete', 600_000, `the ${month} run complete`);
  const invoices = await callApi(stack, 'finance', 'GET', `/api/invoices?month=${month}&limit=1`);
  const invoiceNumber: string | undefined = invoices.body?.items?.[0]?.number;
  if (!invoiceNumber) throw new Error(`no invoice for ${month}: ${JSON.stringify(invoices.body).slice(0, 300)}`);

  console.log(`the ${month} invoicing run complete (${((performance.now() - sceneStarted) / 1000).toFixed(0)} s)`);
  const monitor = Object.keys(stack.info.schedules).find((name) => /void/i.test(name));
  if (monitor) await stack.fireSchedule(monitor);

  const applicationIds: string[] = [];
  for (let i = 0; i < 12 + FORMS; i++) {
    const applied = await callApi(stack, 'social-worker', 'POST', '/api/section17/applications', applicationBody({ childReference: `NT-CIN-${2000 + i}`, startDate: addDays(TODAY, -i), amountPence: i < 12 ? 5_000 + i * 500 : 10_000 }));
    if (applied.status !== 201) throw new Error(`Section 17 application: ${applied.status} ${JSON.stringify(applied.body)}`);
    applicationIds.push(applied.body.applicationId);
    if (i < 12 && i % 2 === 0) await callApi(stack, 'team-manager', 'POST', `/api/section17/applications/${applied.body.applicationId}/decision`, { decision: 'approve', reason: 'Meets the criteria.' });
  }
  return { referralIds, invoiceNumber, applicationIds };
}

/** A person's session, signed in through the dev issuer's page as a browser would (no token is kept). */
async function signIn(consoleUrl: string, role: Role): Promise<string> {
  const cookieOf = (response: Response, name: string) =>
    response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .find((c) => c.startsWith(`${name}=`));
  const start = await fetch(`${consoleUrl}/sign-in?returnTo=%2F`, { redirect: 'manual' });
  const signInCookie = cookieOf(start, '__Host-cared-for-sign-in');
  const authorize = await fetch(start.headers.get('location')!);
  const form = new URLSearchParams();
  for (const [, name, value] of (await authorize.text()).matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(name!, value!.replaceAll('&amp;', '&'));
  form.set('role', role);
  const picked = await fetch(new URL('/authorize', authorize.url), { method: 'POST', body: form, redirect: 'manual' });
  const callback = await fetch(picked.headers.get('location')!, { headers: { cookie: signInCookie! }, redirect: 'manual' });
  const session = cookieOf(callback, '__Host-cared-for-session');
  if (!session) throw new Error(`sign-in as ${role} did not give a session (${callback.status})`);
  return session;
}

interface PageToMeasure {
  name: string;
  role: Role;
  path: string;
}

function pagesToMeasure(scene: Awaited<ReturnType<typeof throughTheStack>>, seeded: Awaited<ReturnType<typeof seedYear>>): PageToMeasure[] {
  const month = previousMonth(monthOf(TODAY));
  const open = seeded.placements.find((p) => !p.ending)!;
  const referral = scene.referralIds[0]!;
  const application = scene.applicationIds[1]!;
  return [
    { name: 'home', role: 'placements-officer', path: '/' },
    { name: 'estate board (first page)', role: 'residential-manager', path: '/estate' },
    { name: 'estate board (last page)', role: 'residential-manager', path: '/estate?page=9999' },
    { name: 'void-bed alerts', role: 'residential-manager', path: '/void-beds' },
    { name: 'a home', role: 'residential-manager', path: `/homes/${seeded.homeIds[7]}` },
    { name: 'referral queue', role: 'placements-officer', path: '/referrals' },
    { name: 'a referral with its proposal', role: 'placements-officer', path: `/referrals/${referral}` },
    { name: 'admission form', role: 'placements-officer', path: `/referrals/${referral}/admission` },
    { name: 'a placement', role: 'placements-officer', path: `/placements/${open.placementId}` },
    { name: 'end a placement (form)', role: 'placements-officer', path: `/placements/${open.placementId}/end` },
    { name: 'move a placement (form)', role: 'placements-officer', path: `/placements/${open.placementId}/move` },
    { name: 'placement confirmation (print)', role: 'placements-officer', path: `/placements/${open.placementId}/confirmation` },
    { name: 'Section 17: apply', role: 'social-worker', path: '/section17/apply' },
    { name: 'Section 17: my applications', role: 'social-worker', path: '/section17/mine' },
    { name: 'Section 17: an application', role: 'social-worker', path: `/section17/applications/${application}` },
    { name: 'Section 17: waiting for me', role: 'team-manager', path: '/section17/waiting' },
    { name: 'Section 17: decide', role: 'team-manager', path: `/section17/applications/${application}/decision` },
    { name: 'Section 17 reports', role: 'team-manager', path: '/section17/reports' },
    { name: 'invoicing runs', role: 'finance', path: '/finance/runs' },
    { name: 'an invoicing run', role: 'finance', path: `/finance/runs/${month}` },
    { name: 'invoices', role: 'finance', path: '/finance/invoices' },
    { name: 'an invoice', role: 'finance', path: `/finance/invoices/${scene.invoiceNumber}` },
    { name: 'an invoice (print)', role: 'finance', path: `/finance/invoices/${scene.invoiceNumber}/print` },
    { name: 'ledger: trial balance', role: 'finance', path: '/finance/ledger' },
    { name: 'overrides report', role: 'head-of-service', path: '/overrides' },
    { name: 'KPIs', role: 'head-of-service', path: '/kpis' },
  ];
}

/** A page with a form: its HTML and the session's CSRF token the form carries. */
async function formPage(consoleUrl: string, session: string, path: string): Promise<{ html: string; csrfToken: string }> {
  const html = await (await fetch(`${consoleUrl}${path}`, { headers: { cookie: session } })).text();
  const token = /name="csrfToken" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error(`${path} has no form with a CSRF token`);
  return { html, csrfToken: token.replaceAll('&amp;', '&') };
}

/**
 * Form submissions, each a real decision through the console (the POST's server time, as for the
 * pages; the redirect after it is not followed): a team manager approving an application, and a
 * placements officer offering a bed from a referral's proposal.
 */
async function timeForms(consoleUrl: string, scene: Awaited<ReturnType<typeof throughTheStack>>, sessions: Map<Role, string>, failures: string[]): Promise<Array<Record<string, string | number>>> {
  const post = async (session: string, path: string, fields: Record<string, string>) => {
    const before = reports.length;
    const t = performance.now();
    const response = await fetch(`${consoleUrl}${path}`, { method: 'POST', headers: { cookie: session, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(), redirect: 'manual' });
    await response.arrayBuffer();
    const roundTrip = performance.now() - t;
    if (response.status !== 303) throw new Error(`POST ${path} answered ${response.status}`);
    return { roundTrip, server: reports.length > before ? reports.at(-1)! : NaN };
  };
  const forms: Array<{ name: string; role: Role; submissions: () => AsyncGenerator<{ path: string; fields: Record<string, string> }> }> = [
    {
      name: 'Section 17: decide (approve)',
      role: 'team-manager',
      async *submissions() {
        for (const id of scene.applicationIds.slice(12, 12 + FORMS)) {
          const { csrfToken } = await formPage(consoleUrl, sessions.get('team-manager')!, `/section17/applications/${id}/decision`);
          yield { path: `/section17/applications/${id}/decision`, fields: { csrfToken, decision: 'approve', reason: 'Meets the criteria.' } };
        }
      },
    },
    {
      name: 'offer a bed',
      role: 'placements-officer',
      async *submissions() {
        const offered = new Set<string>();
        for (const id of scene.referralIds.slice(1)) {
          const { html, csrfToken } = await formPage(consoleUrl, sessions.get('placements-officer')!, `/referrals/${id}`);
          const bedId = [...html.matchAll(/name="bedId" value="([^"]+)"/g)].map((m) => m[1]!).find((b) => !offered.has(b));
          if (!bedId) continue;
          offered.add(bedId);
          yield { path: `/referrals/${id}/offers`, fields: { csrfToken, bedId } };
          if (offered.size >= FORMS) return;
        }
      },
    },
  ];
  const rows: Array<Record<string, string | number>> = [];
  for (const form of forms) {
    const session = sessions.get(form.role) ?? (await signIn(consoleUrl, form.role));
    sessions.set(form.role, session);
    const server: number[] = [];
    const roundTrips: number[] = [];
    try {
      for await (const { path, fields } of form.submissions()) {
        const timed = await post(session, path, fields);
        server.push(timed.server);
        roundTrips.push(timed.roundTrip);
      }
    } catch (error) {
      failures.push(`${form.name}: ${(error as Error).message}`);
      console.log(`  ${form.name}: FAILED (${(error as Error).message})`);
      continue;
    }
    const sorted = [...server].sort((a, b) => a - b);
    const p95 = percentile(sorted, 95);
    rows.push({
      page: `${form.name} (form, ${server.length} submitted)`,
      role: form.role,
      'first load ms': server[0]!.toFixed(0),
      'server p50 ms': percentile(sorted, 50).toFixed(0),
      'server p95 ms': p95.toFixed(0),
      'round trip p95 ms': percentile([...roundTrips].sort((a, b) => a - b), 95).toFixed(0),
      met: p95 < GOAL_MS ? 'yes' : 'NO',
    });
    console.log(`  ${form.name}: server p95 ${p95.toFixed(0)} ms over ${server.length} submissions`);
    recorder.measure({ measure: `${form.name} (form): server time p95`, figure: Number(p95.toFixed(1)), unit: 'ms', goal: { op: '<', value: GOAL_MS }, note: `${server.length} submissions as ${form.role}` });
  }
  return rows;
}

/** The stylesheets, scripts (with the modules they import) and icons a page loads from the console's assets. */
async function pageAssets(html: string, consoleUrl: string, fetched: Map<string, Buffer>): Promise<Buffer[]> {
  const wanted = [...html.matchAll(/(?:href|src)="([^"]*\/assets\/[^"]+)"/g)].map((m) => new URL(m[1]!, consoleUrl).toString());
  const seen = new Set<string>();
  const bodies: Buffer[] = [];
  while (wanted.length > 0) {
    const url = wanted.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    if (!fetched.has(url)) fetched.set(url, Buffer.from(await (await fetch(url)).arrayBuffer()));
    const body = fetched.get(url)!;
    bodies.push(body);
    if (url.endsWith('.js')) for (const m of body.toString('utf8').matchAll(/(?:from|import)\s*['"](\.[^'"]+)['"]/g)) wanted.push(new URL(m[1]!, url).toString());
  }
  return bodies;
}

const kb = (bytes: number) => bytes / 1024;
const gzip = (body: Buffer) => gzipSync(body, { level: 6 }).length;
const brotli = (body: Buffer) => brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

/** The console function's Duration from each REPORT line, in order; anything the stack logs as an error. */
const reports: number[] = [];
const errors: string[] = [];
const dataDir = tempDir('bench-console');
const stack = await startLocalStack({
  clock: NOW,
  clockStandsStill: true,
  cdkOut: await bundledAssembly(),
  dataDir,
  prefix: `bench-console-${randomUUID().slice(0, 6)}`,
  ports: 0,
  schedules: false,
  writeInfo: false,
  log: (source, line) => {
    if (/console/i.test(source) && line.startsWith('REPORT ')) reports.push(Number(/Duration: ([\d.]+) ms/.exec(line)?.[1]));
    else if (/error/i.test(line) && !/REPORT/.test(line)) errors.push(`[${source}] ${line}`);
  },
});
try {
  const consoleUrl = stack.info.outputs.ConsoleUrl!.replace(/\/$/, '');
  const t0 = performance.now();
  const seeded = await seedYear(stack);
  const seedS = (performance.now() - t0) / 1000;
  console.log(`a year written (${seedS.toFixed(0)} s)`);
  const t1 = performance.now();
  const scene = await throughTheStack(stack);
  const sceneS = (performance.now() - t1) / 1000;
  console.log(
    `\nA year (${YEAR.from} to ${YEAR.to}, the stack's clock at ${NOW}): ${seeded.placements.length.toLocaleString('en-GB')} placements in ${HOMES} homes ` +
      `written in ${seedS.toFixed(0)} s; ${REFERRALS} referrals proposed, an invoicing run, the void-bed check and 12 Section 17 applications through the stack in ${sceneS.toFixed(0)} s.`,
  );

  const sessions = new Map<Role, string>();
  const assetBytes = new Map<string, Buffer>();
  const rows: Array<Record<string, string | number>> = [];
  const failures: string[] = [];
  for (const target of pagesToMeasure(scene, seeded)) {
    const session = sessions.get(target.role) ?? (await signIn(consoleUrl, target.role));
    sessions.set(target.role, session);
    const load = async () => {
      const before = reports.length;
      const t = performance.now();
      const response = await fetch(`${consoleUrl}${target.path}`, { headers: { cookie: session }, redirect: 'manual' });
      const body = Buffer.from(await response.arrayBuffer());
      const roundTrip = performance.now() - t;
      if (response.status !== 200) {
        const said = [...body.toString('utf8').matchAll(/<(?:h1|p) class="govuk-(?:heading-l|body)">([^<]*)</g)].map((m) => m[1]).join(' ');
        throw new Error(`${target.path} answered ${response.status}: ${said}`);
      }
      return { body, roundTrip, server: reports.length > before ? reports.at(-1)! : NaN };
    };
    const server: number[] = [];
    const roundTrips: number[] = [];
    let first: Awaited<ReturnType<typeof load>>;
    let body: Buffer;
    try {
      first = await load();
      body = (await load()).body;
      for (let i = 0; i < N; i++) {
        const loaded = await load();
        server.push(loaded.server);
        roundTrips.push(loaded.roundTrip);
        body = loaded.body;
      }
    } catch (error) {
      failures.push(`${target.name}: ${(error as Error).message}`);
      console.log(`  ${target.name}: FAILED (${(error as Error).message})`);
      continue;
    }
    // Everything the page loads from our origin: stylesheets, scripts and the modules they import, icons (each once per page).
    const html = body.toString('utf8');
    const assets = await pageAssets(html, consoleUrl, assetBytes);
    const sorted = [...server].sort((a, b) => a - b);
    const p95 = percentile(sorted, 95);
    const gz = gzip(body) + assets.reduce((s, a) => s + gzip(a), 0);
    const br = brotli(body) + assets.reduce((s, a) => s + brotli(a), 0);
    rows.push({
      page: target.name,
      role: target.role,
      'first load ms': first.server.toFixed(0),
      'server p50 ms': percentile(sorted, 50).toFixed(0),
      'server p95 ms': p95.toFixed(0),
      'round trip p95 ms': percentile([...roundTrips].sort((a, b) => a - b), 95).toFixed(0),
      'HTML KB': kb(body.length).toFixed(1),
      'HTML gzip KB': kb(gzip(body)).toFixed(1),
      'page gzip KB': kb(gz).toFixed(1),
      'page brotli KB': kb(br).toFixed(1),
      met: p95 < GOAL_MS && kb(gz) < GOAL_KB ? 'yes' : 'NO',
    });
    console.log(`  ${target.name}: server p95 ${p95.toFixed(0)} ms, ${kb(gz).toFixed(1)} KB gzip`);
    recorder.measure({ measure: `${target.name}: server time p95`, figure: Number(p95.toFixed(1)), unit: 'ms', goal: { op: '<', value: GOAL_MS }, note: `${N} loads as ${target.role}, warm` });
    recorder.measure({ measure: `${target.name}: page weight gzip`, figure: Number(kb(gz).toFixed(1)), unit: 'KB', goal: { op: '<', value: GOAL_KB }, note: 'HTML and every asset it loads, no fonts' });
  }
  rows.push(...(await timeForms(consoleUrl, scene, sessions, failures)));
  recorder.table(`The console's pages: server time (the function's Duration) over ${N} warm loads, and weight compressed (HTML + CSS + JS + icon; goals p95 < ${GOAL_MS} ms, < ${GOAL_KB} KB)`, rows);
  const assetRows = [...assetBytes.entries()].map(([url, body]) => ({ asset: url.split('/').at(-1)!, KB: kb(body.length).toFixed(1), 'gzip KB': kb(gzip(body)).toFixed(1), 'brotli KB': kb(brotli(body)).toFixed(1) }));
  recorder.table('Assets (served once, cached a year under hashed names)', assetRows);
  if (failures.length > 0) console.log(`\nPages that failed:\n${failures.join('\n')}`);
  if (errors.length > 0) console.log(`\nErrors logged by the stack (${errors.length}):\n${errors.slice(-10).join('\n')}`);
  recorder.write();
  if (failures.length > 0) process.exitCode = 1;
} finally {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
