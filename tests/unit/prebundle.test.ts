import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '#infra/local/assembly';
import { prebundleFunctions } from '#infra/local/prebundle';

/**
 * The local runner's bundles (infra/local/prebundle.ts): every function at once, and a function
 * bundled again only when a file it reads changed. Two functions in a scratch folder inside the
 * project (so node_modules resolves), the first importing a shared module.
 */

const work = mkdtempSync(join(PROJECT_ROOT, 'node_modules', '.cache', 'prebundle-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const cacheDir = join(work, 'cache');
const functions = join(work, 'functions');
const entry = (name: string) => join(functions, name, 'handler.ts');

function write(file: string, text: string): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
}

write(join(functions, 'shared.ts'), `export const greeting: string = 'hello';\n`);
write(entry('first'), `import { greeting } from '../shared.ts';\nexport const handler = async (): Promise<string> => greeting + ' from first';\n`);
write(entry('second'), `export const handler = async (): Promise<string> => 'second';\n`);
const entries = [entry('first'), entry('second')];

async function run(dir: string): Promise<unknown> {
  const module = (await import(`${pathToFileURL(join(dir, 'index.mjs')).href}?${dir}`)) as { handler: () => Promise<unknown> };
  return module.handler();
}

describe('prebundled functions', () => {
  it('bundles every function at once into index.mjs with its source map, as NodejsFunction names them', async () => {
    const bundled = await prebundleFunctions(entries, { cacheDir });

    expect(bundled.built).toEqual(['first', 'second']);
    expect(await run(bundled.dirs[entry('first')]!)).toBe('hello from first');
    expect(await run(bundled.dirs[entry('second')]!)).toBe('second');
    expect(readFileSync(join(bundled.dirs[entry('first')]!, 'index.mjs'), 'utf8')).toContain('sourceMappingURL=index.mjs.map');
  });

  it('bundles nothing again while no file changed', async () => {
    const before = await prebundleFunctions(entries, { cacheDir });
    const again = await prebundleFunctions(entries, { cacheDir });

    expect(again.built).toEqual([]);
    expect(again.dirs).toEqual(before.dirs);
  });

  it('bundles again only the functions that read a changed file', async () => {
    const before = await prebundleFunctions(entries, { cacheDir });

    write(join(functions, 'shared.ts'), `export const greeting: string = 'good morning';\n`);
    const afterShared = await prebundleFunctions(entries, { cacheDir });
    write(entry('second'), `export const handler = async (): Promise<string> => 'second, changed';\n`);
    const afterSecond = await prebundleFunctions(entries, { cacheDir });

    expect(afterShared.built).toEqual(['first']);
    expect(afterShared.dirs[entry('second')]).toBe(before.dirs[entry('second')]);
    expect(await run(afterShared.dirs[entry('first')]!)).toBe('good morning from first');
    expect(afterSecond.built).toEqual(['second']);
    expect(afterSecond.dirs[entry('first')]).toBe(afterShared.dirs[entry('first')]);
    expect(await run(afterSecond.dirs[entry('second')]!)).toBe('second, changed');
  });
});
