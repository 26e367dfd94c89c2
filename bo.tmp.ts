import { build } from 'esbuild';
import { esbuildOptions } from '#infra/function-bundling';
const name = process.argv[2]!;
const r = await build({ ...esbuildOptions(`functions/${name}/handler.ts`, `/tmp/lean/b/${name}/index.mjs`), metafile: true, logLevel: 'error' });
const o = Object.values(r.metafile.outputs).find((o) => o.entryPoint)!;
console.log(name, (o.bytes / 1024).toFixed(1));
for (const [f, i] of Object.entries(o.inputs).filter(([f]) => !f.startsWith('node_modules/@aws-sdk') && !f.startsWith('node_modules/@smithy')).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput).slice(0, 45)) console.log(String(i.bytesInOutput).padStart(7), f);
