/**
 * `npm run schedule -- <rule> [--at ISO-time] [--data-dir DIR]`: fires one of the running local
 * stack's schedules now, through the runner, with the event EventBridge would send; its `time` is
 * `--at` (e.g. 2026-05-01T06:00:00Z for the run due then) or the stack's clock now. The function runs
 * at the stack's clock whatever `--at` says: a monthly run for a month not ended by that clock is
 * refused (move the clock with `npm run clock`). Prints each target's result.
 * `<rule>` is a logical id or a short name.
 */
import type { ClockState } from '#infra/local/local-clock';
import type { ScheduleFiring } from '#infra/local/runner';
import { control, run, runningStack } from './control';

run(async () => {
  const argv = process.argv.slice(2);
  const info = runningStack(argv);
  const atIndex = argv.indexOf('--at');
  const at = atIndex >= 0 ? argv.splice(atIndex, 2)[1] : undefined;
  if (atIndex >= 0 && (!at || Number.isNaN(new Date(at).getTime()))) throw new Error(`--at ${at ?? ''}: expected an ISO time, e.g. 2026-05-01T06:00:00Z`);
  const [name] = argv;
  if (!name) {
    const names = Object.entries(info.schedules).map(([id, s]) => `${id} (${s.expression})`).join(', ') || 'none';
    throw new Error(`usage: npm run schedule -- <rule> [--at ISO-time]\nschedules: ${names}`);
  }
  const clock = await control<ClockState>(info, '/clock');
  if (at && Date.parse(at) > Date.parse(clock.now)) {
    console.log(`note: --at ${at} is after the stack's clock (${clock.now}); the function runs at the stack's clock (npm run clock -- ${at} moves it)`);
  }
  const firing = await control<ScheduleFiring>(info, `/schedule/${encodeURIComponent(name)}${at ? `?at=${encodeURIComponent(at)}` : ''}`, {});
  console.log(`${firing.rule} fired for ${firing.time}`);
  let failed = false;
  for (const target of firing.targets) {
    failed ||= !target.ok;
    console.log(`  ${target.id} (${target.kind}): ${target.ok ? 'ok' : 'error'}`);
    const detail = target.ok ? target.payload : target.error;
    if (detail !== undefined) console.log(JSON.stringify(detail, null, 2).replace(/^/gm, '    '));
  }
  return failed ? 1 : 0;
});
