/**
 * Where a function's cold import goes, module by module (`BENCH_PROFILE=1 npm run bench -- bundles`): its
 * bundle built again with a CPU mark at the top of every module (an esbuild onLoad plugin), then imported in
 * fresh Node processes that read process.cpuUsage() at each mark. A module's figure is the CPU from its mark
 * to the next: what its own top-level code runs (the schemas it builds, the data it parses, the formatters it
 * makes) and any garbage collection that falls there. The part before the first module is reading, compiling
 * and linking the bundle and its source map; a module reached only through `import()` runs no mark at load.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { esbuildOptions } from '#infra/function-bundling';
import { PROJECT_ROOT } from '#infra/local/assembly';
import { median } from './stats';

const BEFORE = '(reading, compiling and linking the bundle)';
const AFTER = '(after the import)';

/** Modules by their path: under node_modules from the package's name, ours from the project's root. */
const moduleName = (path: string) => relative(PROJECT_ROOT, path).replace(/^.*node_modules\//, '');

/** A package (`@smithy/core`, `zod`) or a folder of ours (`lib/placements`). */
const groupOf = (module: string) => (module.startsWith('lib/') || module.startsWith('functions/') ? module.split('/').slice(0, 2).join('/') : module.split('/').slice(0, module.startsWith('@') ? 2 : 1).join('/'));

const marking: Plugin = {
  name: 'load-marks',
  setup(b) {
    b.onLoad({ filter: /\.(ts|js|mjs|cjs)$/ }, (args) => ({
      contents: `globalThis.__loadMark?.(${JSON.stringify(moduleName(args.path))});\n${readFileSync(args.path, 'utf8')}`,
      loader: args.path.endsWith('.ts') ? 'ts' : 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

const PRELOAD = `import { writeFileSync } from 'node:fs';
const marks = [];
let at = process.cpuUsage();
let current = ${JSON.stringify(BEFORE)};
globalThis.__loadMark = (name) => {
  const used = process.cpuUsage(at);
  marks.push([current, (used.user + used.system) / 1000]);
  current = name;
  at = process.cpuUsage();
};
process.on('exit', () => writeFileSync(process.env.LOAD_MARKS_FILE, JSON.stringify(marks)));
`;

/** The bundle of `entry` with marks, imported `runs` times in `dir`: the median CPU ms of each module, then of each package or folder. */
export async function loadProfile(entry: string, dir: string, env: Record<string, string>, runs: number): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'index.mjs');
  const preload = join(dir, 'load-marks.mjs');
  writeFileSync(preload, PRELOAD);
  await build({ ...esbuildOptions(entry, file), plugins: [marking], logLevel: 'error', absWorkingDir: PROJECT_ROOT });
  const perRun: Array<Map<string, number>> = [];
  for (let i = 0; i < runs; i++) {
    const marksFile = join(dir, `marks-${i}.json`);
    const script = `await import(${JSON.stringify(file)}); globalThis.__loadMark(${JSON.stringify(AFTER)});`;
    execFileSync(process.execPath, ['--enable-source-maps', '--import', pathToFileURL(preload).href, '--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-2', ...env, LOAD_MARKS_FILE: marksFile },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const sums = new Map<string, number>();
    for (const [module, ms] of JSON.parse(readFileSync(marksFile, 'utf8')) as Array<[string, number]>) sums.set(module, (sums.get(module) ?? 0) + ms);
    perRun.push(sums);
  }
  const medianOf = (pick: (run: Map<string, number>) => number) => median(perRun.map(pick));
  const modules = new Set(perRun.flatMap((run) => [...run.keys()]).filter((m) => m !== AFTER));
  const byModule = [...modules].map((m) => [m, medianOf((run) => run.get(m) ?? 0)] as const);
  const groups = new Set([...modules].filter((m) => m !== BEFORE).map(groupOf));
  const byGroup = [...groups].map((g) => [g, medianOf((run) => [...run].filter(([m]) => m !== BEFORE && m !== AFTER && groupOf(m) === g).reduce((sum, [, ms]) => sum + ms, 0))] as const);
  const top = (rows: ReadonlyArray<readonly [string, number]>) =>
    [...rows].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([name, ms]) => `${ms.toFixed(1).padStart(7)} ms  ${name}`).join('\n');
  const total = medianOf((run) => [...run].filter(([m]) => m !== AFTER).reduce((sum, [, ms]) => sum + ms, 0));
  return `import CPU ${total.toFixed(0)} ms (median of ${runs}, marks included)\n${top(byModule)}\nby package or folder, what runs at load:\n${top(byGroup)}`;
}
