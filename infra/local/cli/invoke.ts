/**
 * `npm run invoke -- <function> <event.json> [--data-dir DIR]`: runs one function of the running
 * local stack once with the event in the file, in the stack's own execution environments (so with
 * its environment, timeout and concurrency), and prints the function's logs and its result.
 * `<function>` is a logical id (`IntakeFunction`) or a short name (`intake`).
 */
import { readFileSync } from 'node:fs';
import type { InvokeResult } from '#infra/local/lambda-runtime';
import { control, run, runningStack } from './control';

run(async () => {
  const argv = process.argv.slice(2);
  const info = runningStack(argv);
  const [name, file] = argv;
  if (!name || !file) {
    const names = Object.entries(info.functions).map(([id, f]) => `${f.shortName} (${id})`).join(', ');
    throw new Error(`usage: npm run invoke -- <function> <event.json>\nfunctions: ${names}`);
  }
  const event = readFileSync(file, 'utf8');
  JSON.parse(event); // a clear error here rather than from the runner
  const result = await control<InvokeResult>(info, `/invoke/${encodeURIComponent(name)}`, event);
  for (const line of result.logs) console.log(`  | ${line}`);
  const timing = `${result.durationMs.toFixed(1)} ms${result.initMs === undefined ? '' : `, cold start ${result.initMs.toFixed(1)} ms`}`;
  if (!result.ok) {
    console.log(`error (${timing}):`);
    console.log(JSON.stringify(result.error, null, 2));
    return 1;
  }
  console.log(`result (${timing}):`);
  console.log(JSON.stringify(result.payload, null, 2));
  return 0;
});
