/**
 * `npm run kpis:rebuild [-- --check] [--data-dir DIR]`: works every home's KPI book (lib/placements/kpi-book.ts)
 * out again from the placements of the running local stack (.local/stack.json) and rewrites those
 * that differ; `--check` only says which differ. Against a deployed stack the same DynamoKpiBook.rebuild
 * runs with the stack's table names. Safe while decisions are being made: each book is written
 * conditioned on the version read before its placements were.
 */
import { DynamoEstateStore } from '#lib/estate/dynamo-estate-store';
import { DynamoKpiBook } from '#lib/placements/dynamo-kpi-book';
import { run, runningStack, stackTables } from './control';

run(async () => {
  const argv = process.argv.slice(2);
  const info = runningStack(argv);
  const check = argv.includes('--check');
  const { db, table } = stackTables(info);
  const started = performance.now();
  const homes = (await new DynamoEstateStore(db, table('EstateTable')).listHomes()).map((h) => h.home);
  const outcome = await new DynamoKpiBook(db, table('PlacementsTable')).rebuild(homes, { check });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const differing = outcome.differing.length === 0 ? 'none differed' : `${outcome.differing.length} differed${check ? '' : ' and were rewritten'}: ${outcome.differing.join(', ')}`;
  console.log(`KPI books of ${outcome.homes} homes from ${outcome.placements} placements in ${seconds} s: ${differing}`);
  return check && outcome.differing.length > 0 ? 1 : 0;
});
