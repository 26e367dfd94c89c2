/**
 * vitest setupFiles of the stack project, whose files share processes (`isolate: false`, one file after
 * another in each): before each file, the process's environment as it was when the process started (a
 * file points its handlers at its own tables and queues through it), the wall clock as the stack's clock
 * (a file may have installed its own, lib/clock.ts) and a fresh copy of every module of ours, so a handler
 * the file imports reads that file's environment and clock, as in a process of its own. What
 * sharing saves is the rest: starting a process and loading vitest and node_modules (the AWS SDK above
 * all) once per file: about 0.3 s of CPU a file.
 */
import { vi } from 'vitest';
import { uninstallLocalClock } from '#lib/clock';

const startingEnvironment = Symbol.for('cared-for.tests.starting-environment');
const shared = globalThis as typeof globalThis & { [startingEnvironment]?: Record<string, string | undefined> };
const environment = (shared[startingEnvironment] ??= { ...process.env });

for (const name of Object.keys(process.env)) if (!(name in environment)) delete process.env[name];
Object.assign(process.env, environment);
uninstallLocalClock();
vi.resetModules();
