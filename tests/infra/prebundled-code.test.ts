import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { handlerEntries } from '#infra/areas/handler';
import { PREBUNDLED_CODE_CONTEXT } from '#infra/function-bundling';
import { readAssembly } from '#infra/local/assembly';
import { buildStack } from '#infra/synth';
import { resourcesOfType, template, type Json } from './support';

/**
 * Prebuilt bundles (the local runner's and the tests', infra/local/prebundle.ts) change where each
 * function's code comes from and nothing else: the template is the deployment's, asset hashes aside.
 */

const work = mkdtempSync(join(tmpdir(), 'cared-for-prebundled-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A stand-in bundle per function, each saying whose it is. */
const dirs = Object.fromEntries(
  handlerEntries().map((entry) => {
    const dir = join(work, 'bundles', basename(dirname(entry)));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'index.mjs'), `export const handler = () => ${JSON.stringify(basename(dirname(entry)))};\n`);
    return [entry, dir];
  }),
);

const outdir = join(work, 'cdk.out');
// As the local runner synthesizes: without CDK's CloudFormation validation (platform.test.ts runs it once).
buildStack({ bundle: true, validateCloudFormation: false, outdir, context: { [PREBUNDLED_CODE_CONTEXT]: JSON.stringify(dirs) } }).app.synth();
const assembly = readAssembly(outdir);

/** The template with every function's code location replaced by a placeholder. */
function withoutCodeLocations(resources: Json): Json {
  const copy = structuredClone(resources);
  for (const [, fn] of resourcesOfType('AWS::Lambda::Function', copy)) fn.Properties.Code.S3Key = '<asset>';
  return copy;
}

const codeDir = (logicalId: string) => assembly.assetDirs[(assembly.template.Resources[logicalId] as Json).Properties.Code.S3Key.replace(/\.zip$/, '')]!;

describe('prebuilt function bundles', () => {
  it('leave the template as a deployment synthesizes it, but for the code assets', () => {
    expect(withoutCodeLocations(assembly.template.Resources)).toEqual(withoutCodeLocations(template.toJSON().Resources));
    expect(assembly.template.Outputs).toEqual(template.toJSON().Outputs);
  });

  it('are what each function runs, handler index.handler', () => {
    for (const [logicalId, fn] of resourcesOfType('AWS::Lambda::Function', assembly.template.Resources)) {
      expect(fn.Properties.Handler).toBe('index.handler');
      expect(readFileSync(join(codeDir(logicalId), 'index.mjs'), 'utf8')).toMatch(/^export const handler = \(\) => "[a-z-]+";/);
    }
    expect(readFileSync(join(codeDir('IntakeFunction'), 'index.mjs'), 'utf8')).toContain('"intake"');
  });

  it('carry the files a function reads at run time beside its bundle (the console’s stylesheets and scripts)', () => {
    const console = codeDir('ConsoleFunction');
    const files = readdirSync(console, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(console, f)).isFile());
    expect(readFileSync(join(console, 'index.mjs'), 'utf8')).toContain('"console"');
    expect(files.filter((f) => f !== 'index.mjs')).toHaveLength(4);
    expect(files.some((f) => f.endsWith('.css'))).toBe(true);
  });
});
