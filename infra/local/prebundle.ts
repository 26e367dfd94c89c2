/**
 * Every function bundled ahead of a local synthesis: one esbuild build for all the functions whose
 * inputs changed (parsing the modules they share once, on esbuild's own threads), with the options
 * CaredForFunction gives NodejsFunction (infra/function-bundling.ts). The synthesis then takes the
 * bundles as they are (`prebundledCodeContext`): CDK's own bundling runs esbuild once per function,
 * one after another.
 *
 * Each function's bundle is kept in node_modules/.cache/cared-for/functions/<name>-<hash>/, with the
 * hash of every file its last build read (from esbuild's metafile) in <name>.json: a function whose
 * files are all unchanged is not bundled again. Only the local runner and the tests use this; a
 * deployment's `cdk synth` bundles with CDK as always.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { build, version as esbuildVersion, type Metafile } from 'esbuild';
import { handlerEntries } from '#infra/areas/handler';
import { esbuildOptions, LAZY_MODULES, PREBUNDLED_CODE_CONTEXT } from '#infra/function-bundling';
import { lazyModulesPackageJson } from '#infra/lazy-modules';
import { PROJECT_ROOT } from './constants';
import { fileSystemNowMs, withLock } from './file-lock';

const CACHE = join(PROJECT_ROOT, 'node_modules', '.cache', 'cared-for', 'functions');
/** Files that change how every file resolves or compiles, without being in any metafile. */
const SHARED_INPUTS = ['package.json', 'package-lock.json', 'tsconfig.json'];
/** Where a build writes the lazy modules, beside the functions' bundles (a name no function can have). */
const LAZY_OUT = '.lazy';
/** Bundles of older inputs are removed once nothing can still be copying them. */
const STALE_AFTER_MS = 15 * 60_000;

export interface Prebundled {
  /** Bundle directory (index.mjs and its source map) by the function's entry file. */
  dirs: Record<string, string>;
  /** The functions bundled now, by name; the others were up to date. */
  built: string[];
  ms: number;
}

/** What a function's last build read, to tell whether its bundle is still up to date. */
interface BuildRecord {
  options: string;
  entry: string;
  dir: string;
  /** sha256 of each file the build read, by path relative to the project. */
  inputs: Record<string, string>;
}

/** The CDK context that makes CaredForFunction take these bundles instead of bundling (see buildStack). */
export async function prebundledCodeContext(entries: string[] = handlerEntries()): Promise<Record<string, string>> {
  return { [PREBUNDLED_CODE_CONTEXT]: JSON.stringify((await prebundleFunctions(entries)).dirs) };
}

export interface PrebundleOptions {
  /** Where the bundles and their records are kept. @default node_modules/.cache/cared-for/functions */
  cacheDir?: string;
}

/** Bundles the functions of `entries` (each `<functions dir>/<name>/handler.ts`) whose files changed since their last build. */
export async function prebundleFunctions(entries: string[] = handlerEntries(), { cacheDir = CACHE }: PrebundleOptions = {}): Promise<Prebundled> {
  const started = performance.now();
  mkdirSync(cacheDir, { recursive: true });
  // One process bundles at a time (parallel test files): the others then find the bundles up to date.
  return withLock(join(cacheDir, '.lock'), () => prebundleUnlocked(entries, cacheDir, started));
}

async function prebundleUnlocked(entries: string[], cacheDir: string, started: number): Promise<Prebundled> {
  const options = optionsKey();
  const hashes = new FileHashes();
  const dirs: Record<string, string> = {};
  const stale: string[] = [];
  for (const entry of entries.map((e) => resolve(e))) {
    const record = readRecord(cacheDir, functionName(entry));
    if (record && record.options === options && record.entry === entry && isUpToDate(record, hashes)) {
      dirs[entry] = record.dir;
      // In use again: not old enough for another process to remove while this one copies it.
      touch(record.dir); // its age by the file system's clock, as removeStaleBundles reads it
    } else stale.push(entry);
  }
  if (stale.length > 0) Object.assign(dirs, await bundle(stale, cacheDir, options, hashes));
  removeStaleBundles(cacheDir, new Set(Object.values(dirs)));
  return { dirs, built: stale.map(functionName), ms: performance.now() - started };
}

/** One build for all `entries`; each output moved to its own directory named by the hash of what it read. */
async function bundle(entries: string[], cacheDir: string, options: string, hashes: FileHashes): Promise<Record<string, string>> {
  const functionsDir = dirname(dirname(entries[0]!));
  const outside = entries.find((e) => dirname(dirname(e)) !== functionsDir);
  if (outside) throw new Error(`${outside}: every function's entry must be <one functions dir>/<name>/handler.ts, as ${entries[0]} is`);
  const out = join(cacheDir, `.build-${process.pid}-${Math.random().toString(36).slice(2)}`);
  try {
    const { entryPoints: _entry, outfile: _outfile, ...shared } = esbuildOptions('', '');
    const result = await build({
      ...shared,
      entryPoints: [
        // <functions dir>/<name>/handler.ts → <name>/index.mjs, as NodejsFunction names its output.
        ...entries.map((entry) => ({ in: entry, out: `${functionName(entry)}/index` })),
        // Each lazy module once, copied below beside every bundle that imports it.
        ...Object.values(LAZY_MODULES).map(({ source, file }) => ({ in: join(PROJECT_ROOT, source), out: `${LAZY_OUT}/${basename(file, '.mjs')}` })),
      ],
      outdir: out,
      outExtension: { '.js': '.mjs' },
      absWorkingDir: PROJECT_ROOT,
      metafile: true,
      logLevel: 'warning',
    });
    const dirs: Record<string, string> = {};
    for (const entry of entries) {
      const name = functionName(entry);
      const reach = readInputs(result.metafile, relative(PROJECT_ROOT, entry));
      const inputs = Object.fromEntries(reach.files.map((file) => [file, hashes.of(file)]));
      const dir = join(cacheDir, `${name}-${createHash('sha256').update(options).update(JSON.stringify(inputs)).digest('hex').slice(0, 16)}`);
      if (!existsSync(join(dir, 'index.mjs'))) {
        placeLazyModules(join(out, LAZY_OUT), join(out, name), reach.lazy);
        try {
          renameSync(join(out, name), dir);
        } catch (error) {
          // The same bundle, finished first by another process (a parallel test file): keep theirs.
          if (!existsSync(join(dir, 'index.mjs'))) throw error;
        }
      }
      writeRecord(cacheDir, name, { options, entry, dir, inputs });
      dirs[entry] = dir;
    }
    return dirs;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * Every file the entry reaches through its imports, as the metafile names them (relative to the
 * project), through the lazy modules it imports too; and those lazy modules' specifiers.
 */
function readInputs(metafile: Metafile, entry: string): { files: string[]; lazy: string[] } {
  const reached = new Set<string>();
  const lazy = new Set<string>();
  const visit = (file: string) => {
    if (reached.has(file)) return;
    const input = metafile.inputs[file];
    if (!input) return; // built in (node:…), nothing read
    reached.add(file);
    for (const imported of input.imports) {
      const lazyModule = imported.external ? LAZY_MODULES[imported.path] : undefined;
      if (lazyModule) {
        // Imported statically, it would load with the bundle: nothing gained, and a file more to carry.
        if (imported.kind !== 'dynamic-import') throw new Error(`${file} imports ${imported.path} statically: a lazy module (LAZY_MODULES, infra/function-bundling.ts) is imported only through await import()`);
        lazy.add(imported.path);
        visit(lazyModule.source);
      } else if (!imported.external) visit(imported.path);
    }
  };
  visit(entry);
  if (reached.size === 0) throw new Error(`esbuild's metafile has no input ${entry}`);
  return { files: [...reached].sort(), lazy: [...lazy].sort() };
}

/** The lazy modules a bundle imports, copied beside it from the build's one copy, with the package.json that resolves them. */
function placeLazyModules(built: string, bundleDir: string, specifiers: readonly string[]): void {
  if (specifiers.length === 0) return;
  for (const specifier of specifiers) {
    const { file } = LAZY_MODULES[specifier]!;
    for (const name of [file, `${file}.map`]) copyFileSync(join(built, name), join(bundleDir, name));
  }
  writeFileSync(join(bundleDir, 'package.json'), lazyModulesPackageJson(specifiers));
}

function isUpToDate(record: BuildRecord, hashes: FileHashes): boolean {
  if (!existsSync(join(record.dir, 'index.mjs'))) return false;
  return Object.entries(record.inputs).every(([file, hash]) => hashes.of(file) === hash);
}

/** The options, esbuild's version and the files every build depends on: a change to any rebuilds every function. */
function optionsKey(): string {
  const hash = createHash('sha256').update(esbuildVersion).update(JSON.stringify(esbuildOptions('', ''))).update(JSON.stringify(LAZY_MODULES));
  for (const file of SHARED_INPUTS) {
    const path = join(PROJECT_ROOT, file);
    hash.update(file).update(existsSync(path) ? readFileSync(path) : '');
  }
  return hash.digest('hex');
}

/** sha256 of files by path relative to the project, each read once (the functions share most of theirs). */
class FileHashes {
  private readonly known = new Map<string, string>();
  of(file: string): string {
    let hash = this.known.get(file);
    if (hash === undefined) {
      const path = join(PROJECT_ROOT, file);
      hash = existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'missing';
      this.known.set(file, hash);
    }
    return hash;
  }
}

function functionName(entry: string): string {
  return basename(dirname(entry));
}

function readRecord(cacheDir: string, name: string): BuildRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(cacheDir, `${name}.json`), 'utf8')) as BuildRecord;
  } catch {
    return undefined;
  }
}

function writeRecord(cacheDir: string, name: string, record: BuildRecord): void {
  const file = join(cacheDir, `${name}.json`);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(record, null, 1)}\n`);
  renameSync(tmp, file);
}

function removeStaleBundles(cacheDir: string, inUse: Set<string>): void {
  const now = fileSystemNowMs(cacheDir);
  for (const entry of readdirSync(cacheDir)) {
    const path = join(cacheDir, entry);
    if (entry.endsWith('.json') || entry === '.lock' || inUse.has(path)) continue;
    try {
      if (now - statSync(path).mtimeMs > STALE_AFTER_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // removed meanwhile by another process
    }
  }
}

function touch(dir: string): void {
  const now = fileSystemNowMs(dirname(dir)) / 1000;
  utimesSync(dir, now, now);
}
