/**
 * Each function's bundle beside a bare bundle of the same AWS SDK clients and commands, both built
 * the same way (infra/function-bundling.ts: the options CaredForFunction gives NodejsFunction):
 * bytes, and cold import time in a fresh Node process. A lazy module a bundle imports (infra/function-bundling.ts)
 * is bundled beside it as a deployment bundles it; its bytes are shown apart, since it loads on first use.
 *
 *   npm run bench -- bundles          (BENCH_IMPORTS cold imports of each, default 7)
 *   BENCH_ANALYZE=1 npm run bench -- bundles    also prints, per function, what its bundle holds beyond the bare one
 *   BENCH_FUNCTIONS=api,console npm run bench -- bundles    only those functions
 *   BENCH_PROFILE=1 npm run bench -- bundles    also prints where each function's cold import goes, by module (load-profile.ts)
 *
 * The bare bundle is written from our bundle's esbuild metafile: every `@aws-sdk/client-*` package
 * in it, each with the commands of it we use, and the document client where we use it, each client
 * constructed at module load as our handlers construct theirs. Our bundle is imported with its
 * function's environment as the synthesized template sets it (references to other resources
 * resolved to placeholders, as the local runner resolves what it does not emulate): a function
 * parses its configuration when it loads, and refuses to load without it. As in the local runner, a
 * variable naming a secret's ARN is replaced by the one carrying a value (the console reads its
 * client secret while loading, and there is no Secrets Manager here), and the files a function
 * carries beside its bundle (the console's assets, which it reads while loading) are copied there.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { consoleAssetFiles } from '#infra/areas/console';
import { esbuildOptions, LAZY_MODULES } from '#infra/function-bundling';
import { bundleLazyModules } from '#infra/lazy-modules';
import { PROJECT_ROOT } from '#infra/local/assembly';
import { generateSecret, LOCAL_SECRET_VARIABLES } from '#infra/local/secrets';
import { resolveString, shortName, type CfnTemplate } from '#infra/local/template';
import { synthesizeTemplate } from '#infra/synth';
import { loadProfile } from './load-profile';
import { BenchRecorder } from './results';
import { median } from './stats';

const IMPORTS = Number(process.env.BENCH_IMPORTS ?? 7);
const ONLY = process.env.BENCH_FUNCTIONS?.split(',').map((name) => name.trim());
const GOAL_RATIO = 1.3;
const recorder = new BenchRecorder('bundles');
// Under node_modules, so the bare entries resolve the project's own SDK packages.
const cacheDir = join(PROJECT_ROOT, 'node_modules', '.cache');
mkdirSync(cacheDir, { recursive: true }); // absent after a fresh npm ci
const work = mkdtempSync(join(cacheDir, 'bench-bundles-'));

interface SdkClientUse {
  /** `DynamoDBClient` … */
  clientClass: string;
  /** The commands of it the bundle holds (`GetItemCommand` …). */
  commands: Set<string>;
}

interface SdkUse {
  /** By package: `@aws-sdk/client-dynamodb` … */
  clients: Map<string, SdkClientUse>;
  /** The commands of `@aws-sdk/lib-dynamodb` the bundle holds, when it holds the document client. */
  documentCommands?: Set<string>;
}

/** Which SDK clients and commands a bundle holds, read from its metafile (files that put bytes into the output). */
function sdkUse(metafile: Metafile): SdkUse {
  const use: SdkUse = { clients: new Map() };
  const output = Object.entries(metafile.outputs).find(([file]) => file.endsWith('.mjs'))![1];
  const inputs = Object.entries(output.inputs).filter(([, i]) => i.bytesInOutput > 0).map(([file]) => file);
  const client = (pkg: string) => use.clients.get(pkg) ?? use.clients.set(pkg, { clientClass: '', commands: new Set() }).get(pkg)!;
  for (const input of inputs) {
    const clientFile = /node_modules\/(@aws-sdk\/client-[a-z0-9-]+)\/dist-es\/([A-Za-z0-9]+Client)\.js$/.exec(input);
    if (clientFile) client(clientFile[1]!).clientClass = clientFile[2]!;
    const command = /node_modules\/(@aws-sdk\/client-[a-z0-9-]+)\/dist-es\/commands\/([A-Za-z0-9]+Command)\.js$/.exec(input);
    if (command) client(command[1]!).commands.add(command[2]!);
    const document = /node_modules\/@aws-sdk\/lib-dynamodb\/dist-es\/(?:commands\/([A-Za-z0-9]+Command)\.js)?/.exec(input);
    if (document) {
      use.documentCommands ??= new Set();
      if (document[1]) use.documentCommands.add(document[1]);
    }
  }
  for (const [pkg, { clientClass }] of use.clients) if (!clientClass) throw new Error(`${pkg}: no client class in the bundle's inputs`);
  return use;
}

/** The bare entry: the same clients and commands, each client constructed at load; nothing of ours. */
function bareEntry(use: SdkUse): string {
  const lines: string[] = [];
  const made: string[] = [];
  for (const [pkg, { clientClass, commands }] of [...use.clients].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = [...commands].sort();
    lines.push(`import { ${[clientClass, ...sorted.map((c) => `${c} as ${clientClass}_${c}`)].join(', ')} } from '${pkg}';`);
    lines.push(`export const ${clientClass}Commands = [${sorted.map((c) => `${clientClass}_${c}`).join(', ')}];`);
    made.push(`${clientClass.replace(/Client$/, '').toLowerCase()}: new ${clientClass}({})`);
  }
  lines.push(`export const clients = { ${made.join(', ')} };`);
  if (use.documentCommands) {
    const commands = [...use.documentCommands].sort().map((c) => `${c} as Document${c}`);
    lines.push(`import { DynamoDBDocumentClient${commands.length ? `, ${commands.join(', ')}` : ''} } from '@aws-sdk/lib-dynamodb';`);
    lines.push('export const documentClient = DynamoDBDocumentClient.from(clients.dynamodb);');
    lines.push(`export const documentCommands = [${[...use.documentCommands].sort().map((c) => `Document${c}`).join(', ')}];`);
  }
  return `${lines.join('\n')}\n`;
}

/** Bytes in the output by package (node_modules) or by folder of ours (lib/matching …), from a metafile. */
function bytesBySource(metafile: Metafile): Map<string, number> {
  const output = Object.entries(metafile.outputs).find(([file]) => file.endsWith('.mjs'))![1];
  const bySource = new Map<string, number>();
  for (const [file, input] of Object.entries(output.inputs)) {
    const source = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? file.split('/').slice(0, 2).join('/');
    bySource.set(source, (bySource.get(source) ?? 0) + input.bytesInOutput);
  }
  return bySource;
}

/** What our bundle holds beyond the bare one, largest first (KB). */
function beyondBare(ours: Metafile, bare: Metafile): string {
  const [mine, theirs] = [bytesBySource(ours), bytesBySource(bare)];
  return [...mine]
    .map(([source, bytes]) => [source, bytes - (theirs.get(source) ?? 0)] as const)
    .filter(([, extra]) => extra >= 1024)
    .sort((a, b) => b[1] - a[1])
    .map(([source, extra]) => `${(extra / 1024).toFixed(0).padStart(6)} KB  ${source}`)
    .join('\n');
}

/** A function's bundle, and the lazy modules it imports bundled beside it as a deployment bundles them (their bytes: loaded on first use, not at start). */
async function bundle(entry: string, dir: string): Promise<{ file: string; metafile: Metafile; lazyBytes: number }> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'index.mjs');
  const result = await build({ ...esbuildOptions(entry, file), metafile: true, logLevel: 'error', absWorkingDir: PROJECT_ROOT });
  const lazy = await bundleLazyModules(dir);
  return { file, metafile: result.metafile, lazyBytes: lazy.reduce((sum, specifier) => sum + statSync(join(dir, LAZY_MODULES[specifier]!.file)).size, 0) };
}

interface ImportTime {
  wallMs: number;
  /** CPU time of the whole process during the import (every thread): what load on the machine does not inflate. */
  cpuMs: number;
}

/** Importing `file` in a fresh Node, as Lambda starts it (source maps on). */
function coldImport(file: string, env: Record<string, string>): ImportTime {
  const script = `const c = process.cpuUsage(); const t = performance.now(); await import(${JSON.stringify(file)}); const u = process.cpuUsage(c);
console.log(JSON.stringify({ wallMs: performance.now() - t, cpuMs: (u.user + u.system) / 1000 }));`;
  const out = execFileSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-2', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out.toString().trim().split('\n').at(-1)!) as ImportTime;
}

/** The files a function carries beside its bundle, as infra/areas deploys them (source → path in the bundle's directory). */
const FILES_BESIDE_BUNDLE: Readonly<Record<string, () => Record<string, string>>> = { console: consoleAssetFiles };

function copyFilesBeside(name: string, dir: string): void {
  for (const [source, target] of Object.entries(FILES_BESIDE_BUNDLE[name]?.() ?? {})) {
    mkdirSync(dirname(join(dir, target)), { recursive: true });
    cpSync(source, join(dir, target));
  }
}

/** A secret's ARN replaced by the variable carrying a value, as the local runner does (infra/local/secrets.ts). */
function withSecretValues(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([name, value]) => (LOCAL_SECRET_VARIABLES[name] ? [LOCAL_SECRET_VARIABLES[name], generateSecret()] : [name, value])));
}

/** Each function's environment as the template sets it, references resolved to placeholders. */
function environments(template: CfnTemplate): Map<string, Record<string, string>> {
  const byName = new Map<string, Record<string, string>>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const variables = (resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    const ctx = { template, stackName: 'CaredFor', values: {} };
    byName.set(shortName(logicalId), Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, resolveString(v, ctx, `${logicalId}.${k}`)])));
  }
  return byName;
}

try {
  const template = synthesizeTemplate({ bundle: false }) as CfnTemplate;
  const envs = environments(template);
  const names = readdirSync(join(PROJECT_ROOT, 'functions'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && envs.has(d.name))
    .map((d) => d.name)
    .filter((name) => !ONLY || ONLY.includes(name))
    .sort();
  const rows: Array<Record<string, string | number>> = [];
  let worstBytes = 0;
  let worstImport = 0;
  for (const name of names) {
    const entry = join(PROJECT_ROOT, 'functions', name, 'handler.ts');
    const ours = await bundle(entry, join(work, name));
    copyFilesBeside(name, join(work, name));
    const use = sdkUse(ours.metafile);
    const bareSource = join(work, `${name}-bare.mjs`);
    writeFileSync(bareSource, bareEntry(use));
    const bare = await bundle(bareSource, join(work, `${name}-bare`));
    if (process.env.BENCH_ANALYZE) console.log(`\n${name}: beyond the bare SDK bundle\n${beyondBare(ours.metafile, bare.metafile)}`);
    const env = { ...withSecretValues(envs.get(name)!), POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' };
    if (process.env.BENCH_PROFILE) {
      copyFilesBeside(name, join(work, `${name}-profile`));
      console.log(`\n${name}: where its cold import goes\n${await loadProfile(entry, join(work, `${name}-profile`), env, IMPORTS)}`);
    }
    const oursTimes: ImportTime[] = [];
    const bareTimes: ImportTime[] = [];
    const oursBytesOnly = statSync(ours.file).size;
    const bareBytesOnly = statSync(bare.file).size;
    try {
      // Interleaved, so both see the same load on the machine.
      for (let i = 0; i < IMPORTS; i++) {
        oursTimes.push(coldImport(ours.file, env));
        bareTimes.push(coldImport(bare.file, env));
      }
    } catch (error) {
      // A function that calls AWS while it loads (beyond reading a secret, given as a value above) cannot be imported here.
      const why = /\[(\w+Error)\]: ([^\n]*)/.exec(String((error as { stderr?: Buffer }).stderr ?? error))?.slice(1).join(': ') ?? 'the import failed';
      const bytesRatio = oursBytesOnly / bareBytesOnly;
      worstBytes = Math.max(worstBytes, bytesRatio);
      rows.push({ function: name, 'ours KB': (oursBytesOnly / 1024).toFixed(0), 'bare KB': (bareBytesOnly / 1024).toFixed(0), 'bytes ×': bytesRatio.toFixed(2), 'import ×': `not measured: it calls AWS while loading (${why})` });
      recorder.measure({ measure: `${name} bundle vs bare SDK bundle`, figure: Number(bytesRatio.toFixed(3)), unit: '×', goal: { op: '<=', value: GOAL_RATIO }, note: `${(oursBytesOnly / 1024).toFixed(0)} KB vs ${(bareBytesOnly / 1024).toFixed(0)} KB; cold import not measured: it calls AWS while loading` });
      continue;
    }
    const oursMs = median(oursTimes.map((t) => t.cpuMs));
    const bareMs = median(bareTimes.map((t) => t.cpuMs));
    const oursBytes = statSync(ours.file).size;
    const bareBytes = statSync(bare.file).size;
    const bytesRatio = oursBytes / bareBytes;
    const importRatio = oursMs / bareMs;
    worstBytes = Math.max(worstBytes, bytesRatio);
    worstImport = Math.max(worstImport, importRatio);
    rows.push({
      function: name,
      'SDK clients': [...use.clients.keys()].map((c) => c.replace('@aws-sdk/client-', '')).sort().join(' ') + (use.documentCommands ? ' +document' : ''),
      'ours KB': (oursBytes / 1024).toFixed(0),
      'bare KB': (bareBytes / 1024).toFixed(0),
      'bytes ×': bytesRatio.toFixed(2),
      'on first use KB': ours.lazyBytes > 0 ? (ours.lazyBytes / 1024).toFixed(0) : '',
      'ours import CPU ms': oursMs.toFixed(0),
      'bare import CPU ms': bareMs.toFixed(0),
      'import ×': importRatio.toFixed(2),
      'ours wall ms': median(oursTimes.map((t) => t.wallMs)).toFixed(0),
      'bare wall ms': median(bareTimes.map((t) => t.wallMs)).toFixed(0),
    });
    recorder.measure({ measure: `${name} bundle vs bare SDK bundle`, figure: Number(bytesRatio.toFixed(3)), unit: '×', goal: { op: '<=', value: GOAL_RATIO }, note: `${(oursBytes / 1024).toFixed(0)} KB vs ${(bareBytes / 1024).toFixed(0)} KB${ours.lazyBytes > 0 ? `; ${(ours.lazyBytes / 1024).toFixed(0)} KB more beside it, loaded on first use` : ''}` });
    recorder.measure({ measure: `${name} cold import vs bare`, figure: Number(importRatio.toFixed(3)), unit: '×', goal: { op: '<=', value: GOAL_RATIO }, note: `CPU ${oursMs.toFixed(0)} ms vs ${bareMs.toFixed(0)} ms (median of ${IMPORTS}); wall ${median(oursTimes.map((t) => t.wallMs)).toFixed(0)} vs ${median(bareTimes.map((t) => t.wallMs)).toFixed(0)} ms` });
  }
  recorder.table(`Function bundles beside bare bundles of the same SDK clients (esbuild, minified ESM, same options; cold import: CPU and wall time, median of ${IMPORTS} fresh Node processes, interleaved)`, rows);
  console.log(`worst ratios: bytes ${worstBytes.toFixed(2)}×, cold import ${worstImport.toFixed(2)}× (goal ≤ ${GOAL_RATIO}× both)`);
  recorder.write();
} finally {
  rmSync(work, { recursive: true, force: true });
}
