/**
 * `npm test [-- <vitest arguments>]`: the type check (`tsc --noEmit`) and the whole vitest run side by
 * side, not one after the other. The check is TypeScript 7's native compiler (`typescript-native`, an
 * alias of typescript@7): ~3 s and ~6 s of CPU against ~9 s and ~14 s for TypeScript 5.9, which stays as
 * `typescript` because dependency-cruiser (`npm run deps`) needs its JavaScript API. It runs while vitest
 * starts DynamoDB Local and synthesizes the template, when the second core has little else to do.
 * tsc's report is printed after vitest's; the command fails if either fails, as `tsc --noEmit && vitest
 * run` did (but a type error no longer stops the tests from running).
 *
 * Run by Node itself (type stripping), so it starts no tsx.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const fromRoot = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

function exitCode(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.on('error', () => resolve(1));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const tsc = spawn(process.execPath, [fromRoot('node_modules/typescript-native/bin/tsc'), '--noEmit', '--pretty'], { stdio: ['ignore', 'pipe', 'pipe'] });
const tscOutput: Buffer[] = [];
tsc.stdout!.on('data', (chunk: Buffer) => tscOutput.push(chunk));
tsc.stderr!.on('data', (chunk: Buffer) => tscOutput.push(chunk));
const tscDone = exitCode(tsc);

// vitest gives itself a temporary directory of its own, removed when it exits (vitest.config.ts).
const vitest = spawn(process.execPath, [fromRoot('node_modules/vitest/vitest.mjs'), 'run', ...process.argv.slice(2)], { stdio: 'inherit' });
const vitestCode = await exitCode(vitest);
const tscCode = await tscDone;

process.stdout.write(Buffer.concat(tscOutput));
console.log(tscCode === 0 ? '\ntsc --noEmit: no type errors' : `\ntsc --noEmit: FAILED (exit ${tscCode})`);
process.exitCode = tscCode !== 0 || vitestCode !== 0 ? 1 : 0;
