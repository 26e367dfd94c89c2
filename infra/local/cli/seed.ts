/**
 * `npm run seed [-- --data-dir DIR]`: loads the sample estate into the running local stack through
 * the estate's own loader (`seedLocalStack`, infra/local/seed-local.ts), given the stack's
 * description from stack.json. Running it again adds only what is missing.
 */
import { seedLocalStack } from '#infra/local/seed-local';
import { run, runningStack } from './control';

run(async () => {
  const info = runningStack(process.argv.slice(2));
  const outcome = await seedLocalStack(info);
  console.log(JSON.stringify(outcome, null, 2));
});
