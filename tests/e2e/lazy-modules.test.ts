/**
 * The lazy modules (LAZY_MODULES, infra/function-bundling.ts) as a function carries them: out of its
 * bundle, in a file of their own beside it that the bundle's import finds through the package.json
 * there, whether CDK bundled the function (a deployment: NodejsFunction and its afterBundling hook) or
 * the local prebundle did (npm start and the tests). Each bundle is then run from a directory outside
 * the project, as Lambda runs it from /var/task. A static import of one is refused.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { AlarmTopic } from '#infra/constructs/alarm-topic';
import { CaredForFunction } from '#infra/constructs/cared-for-function';
import { EncryptionKey } from '#infra/constructs/encryption-key';
import { readAssembly } from '#infra/local/assembly';
import { prebundleFunctions } from '#infra/local/prebundle';
import { testDir } from '#tests/support/test-dir';

const entry = fileURLToPath(new URL('./fixtures/draws-pdfs/handler.ts', import.meta.url));
const dir = testDir('lazy-modules');
const bundles: Record<'deployment' | 'local', string> = { deployment: '', local: '' };

beforeAll(async () => {
  const app = new App({ outdir: join(dir, 'cdk.out'), builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'DrawsPdfs');
  const { key } = new EncryptionKey(stack, 'EncryptionKey');
  new CaredForFunction(stack, 'DrawsPdfsFunction', { entry, serviceName: 'draws-pdfs', reservedConcurrentExecutions: 1, alarmTopic: new AlarmTopic(stack, 'AlarmTopic', { encryptionKey: key }).topic });
  app.synth();
  const assembly = readAssembly(join(dir, 'cdk.out'));
  const code = (assembly.template.Resources.DrawsPdfsFunction?.Properties?.Code as { S3Key: string }).S3Key;
  bundles.deployment = assembly.assetDirs[code.replace(/\.zip$/, '')]!;
  bundles.local = (await prebundleFunctions([entry], { cacheDir: join(dir, 'prebundled') })).dirs[entry]!;
}, 120_000);

/** The source files a bundle was built from, by its source map. */
const sourcesOf = (file: string): string[] => (JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] }).sources;

describe.each(['deployment', 'local'] as const)('a function that draws PDFs, bundled for a %s', (kind) => {
  it('leaves pdf-lib out of its bundle and imports it from a file of its own beside it', () => {
    const bundle = bundles[kind];
    expect(readFileSync(join(bundle, 'index.mjs'), 'utf8')).toContain('import("#lib/invoicing/document-pdf")');
    expect(sourcesOf(join(bundle, 'index.mjs')).filter((source) => source.includes('node_modules/pdf-lib'))).toEqual([]);
    expect(sourcesOf(join(bundle, 'document-pdf.mjs'))).toEqual(expect.arrayContaining([expect.stringMatching(/node_modules\/pdf-lib\//), expect.stringMatching(/lib\/invoicing\/document-pdf\.ts$/)]));
    expect(JSON.parse(readFileSync(join(bundle, 'package.json'), 'utf8'))).toEqual({ imports: { '#lib/invoicing/document-pdf': './document-pdf.mjs' } });
  });

  it('loads it on first use when run from a directory of its own, as Lambda runs it', () => {
    const task = join(dir, `task-${kind}`);
    cpSync(bundles[kind], task, { recursive: true });
    const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(join(task, 'index.mjs')).href)}); console.log(JSON.stringify(await handler()));`;
    const out = execFileSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], { cwd: task, env: { PATH: process.env.PATH ?? '' } });
    expect(JSON.parse(out.toString())).toContain('documentPdf');
  });
});

describe('a lazy module', () => {
  it('counts among the inputs of the functions that import it, so that a change to it bundles them again', () => {
    const record = JSON.parse(readFileSync(join(dir, 'prebundled', 'draws-pdfs.json'), 'utf8')) as { inputs: Record<string, string> };
    expect(Object.keys(record.inputs)).toEqual(expect.arrayContaining(['lib/invoicing/document-pdf.ts', expect.stringMatching(/^node_modules\/pdf-lib\//)]));
  });

  it('may not be imported statically: the prebundle refuses, naming the module that does', async () => {
    const entry = fileURLToPath(new URL('./fixtures/imports-pdf-statically/handler.ts', import.meta.url));
    await expect(prebundleFunctions([entry], { cacheDir: join(dir, 'refused') })).rejects.toThrow(
      'tests/e2e/fixtures/imports-pdf-statically/handler.ts imports #lib/invoicing/document-pdf statically: a lazy module (LAZY_MODULES, infra/function-bundling.ts) is imported only through await import()',
    );
  });
});
