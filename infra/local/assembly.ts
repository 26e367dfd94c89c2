/**
 * The cloud assembly the local stack runs: the CDK app synthesized (its functions bundled) into a directory
 * (`cdk.out` for `npm start`), reused while nothing it is built from has changed.
 *
 * "Built from" is every file under infra/ (but infra/local/, the runner itself), functions/ and lib/,
 * plus package-lock.json, tsconfig.json, cdk.json and the context values; their hash is kept beside
 * the assembly in `local-synth.json` with the hash of the template it produced, so an assembly
 * rewritten since (say by `cdk synth -c alarmEmail=…`) is not mistaken for ours.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { PROJECT_ROOT } from './constants';
import { withLock } from './file-lock';
import type { PhaseTimings } from './phase-timings';
import type { CfnTemplate } from './template';

export { PROJECT_ROOT } from './constants';

const STAMP = 'local-synth.json';
const INPUT_DIRS = ['infra', 'functions', 'lib'];
const INPUT_FILES = ['package-lock.json', 'tsconfig.json', 'cdk.json'];
const EXCLUDED = new Set(['node_modules', 'cdk.out', '.local']);

export interface Assembly {
  dir: string;
  stackName: string;
  template: CfnTemplate;
  /** Asset directories by asset hash (the S3 key without `.zip`). */
  assetDirs: Record<string, string>;
}

export interface SynthOutcome extends Assembly {
  /** True when the existing assembly was up to date and reused. */
  cached: boolean;
  ms: number;
}

export interface EnsureSynthOptions {
  /** @default `<project>/cdk.out` */
  outdir?: string;
  /** CDK context, as `-c key=value`. */
  context?: Record<string, string>;
  /** Synthesize even when the assembly is up to date. */
  force?: boolean;
  log?: (line: string) => void;
  /** Times the steps (`npm start -- --timings`). */
  timings?: PhaseTimings;
}

/** Hash of everything the assembly is built from. */
export function synthInputsHash(context: Record<string, string> = {}): string {
  const hash = createHash('sha256');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (EXCLUDED.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (relative(PROJECT_ROOT, path) === join('infra', 'local')) continue;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push(path);
    }
  };
  for (const dir of INPUT_DIRS) if (existsSync(join(PROJECT_ROOT, dir))) walk(join(PROJECT_ROOT, dir));
  for (const file of INPUT_FILES) if (existsSync(join(PROJECT_ROOT, file))) files.push(join(PROJECT_ROOT, file));
  for (const file of files.sort()) {
    hash.update(relative(PROJECT_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  hash.update(JSON.stringify(Object.entries(context).sort()));
  return hash.digest('hex');
}

/** Reuses `outdir` when up to date, else synthesizes the app, its functions bundled, into it. */
export async function ensureSynthesized(options: EnsureSynthOptions = {}): Promise<SynthOutcome> {
  const started = performance.now();
  const outdir = resolve(options.outdir ?? join(PROJECT_ROOT, 'cdk.out'));
  const context = options.context ?? {};
  const time = <T>(step: string, work: () => T): Promise<T> => (options.timings ? options.timings.time(step, work) : Promise.resolve(work()));
  const inputs = await time('synth inputs hash', () => synthInputsHash(context));
  if (!options.force && (await time('up-to-date check', () => isUpToDate(outdir, inputs)))) {
    return { ...(await time('assembly read', () => readAssembly(outdir))), cached: true, ms: performance.now() - started };
  }
  // One synthesis of an outdir at a time (parallel test files): the others wait, then find it up to date.
  return withLock(`${outdir}.lock`, async () => {
    if (!options.force && isUpToDate(outdir, inputs)) return { ...readAssembly(outdir), cached: true, ms: performance.now() - started };
    options.log?.(`synthesizing the CDK app into ${relative(process.cwd(), outdir) || '.'} …`);
    const tmp = `${outdir}.tmp-${process.pid}-${Date.now()}`;
    try {
      // Loaded only here: aws-cdk-lib takes about a second to import, which a cached start skips. It loads
      // while esbuild (a process of its own) bundles every function whose files changed, all in one build.
      const synth = time('aws-cdk-lib import', () => import('#infra/synth'));
      synth.catch(() => undefined); // awaited below, after the bundles
      const { prebundledCodeContext } = await import('./prebundle');
      const prebundled = await time('bundles (changed functions only)', () => prebundledCodeContext());
      const { buildStack } = await synth;
      // Not CloudFormation's schema validation: it only ever warns, and costs a second.
      await time('synth', () => buildStack({ bundle: true, validateCloudFormation: false, outdir: tmp, context: { ...context, ...prebundled } }).app.synth());
      const assembly = readAssembly(tmp);
      writeFileSync(join(tmp, STAMP), `${JSON.stringify({ inputs, template: templateHash(tmp, assembly.stackName) }, null, 2)}\n`);
      rmSync(outdir, { recursive: true, force: true });
      renameSync(tmp, outdir);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    return { ...readAssembly(outdir), cached: false, ms: performance.now() - started };
  });
}

function isUpToDate(outdir: string, inputs: string): boolean {
  try {
    const stamp = JSON.parse(readFileSync(join(outdir, STAMP), 'utf8')) as { inputs?: string; template?: string };
    if (stamp.inputs !== inputs) return false;
    const { stackName, assetDirs } = readAssembly(outdir);
    return stamp.template === templateHash(outdir, stackName) && Object.values(assetDirs).every((d) => existsSync(d));
  } catch {
    return false;
  }
}

function templateHash(outdir: string, stackName: string): string {
  return createHash('sha256').update(readFileSync(join(outdir, `${stackName}.template.json`))).digest('hex');
}

/** Reads the one stack of a cloud assembly: its template and where its file assets are. */
export function readAssembly(dir: string): Assembly {
  const manifestFile = join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) throw new Error(`${dir} is not a cloud assembly (no manifest.json): synthesize the app first`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
    artifacts?: Record<string, { type: string; properties?: { templateFile?: string } }>;
  };
  const stacks = Object.entries(manifest.artifacts ?? {}).filter(([, a]) => a.type === 'aws:cloudformation:stack');
  if (stacks.length !== 1) throw new Error(`${dir}: expected one stack in the assembly, found ${stacks.length}`);
  const [stackName, artifact] = stacks[0]!;
  const template = JSON.parse(readFileSync(join(dir, artifact.properties?.templateFile ?? `${stackName}.template.json`), 'utf8')) as CfnTemplate;
  const assetDirs: Record<string, string> = {};
  const assetsFile = join(dir, `${stackName}.assets.json`);
  if (existsSync(assetsFile)) {
    const assets = JSON.parse(readFileSync(assetsFile, 'utf8')) as { files?: Record<string, { source?: { path?: string; packaging?: string } }> };
    for (const [hash, file] of Object.entries(assets.files ?? {})) {
      const path = file.source?.path;
      if (path && file.source?.packaging === 'zip') assetDirs[hash] = join(dir, path);
    }
  }
  for (const entry of readdirSync(dir)) {
    const match = /^asset\.([0-9a-f]{64})$/.exec(entry);
    if (match && !assetDirs[match[1]!] && statSync(join(dir, entry)).isDirectory()) assetDirs[match[1]!] = join(dir, entry);
  }
  return { dir, stackName, template, assetDirs };
}
