/**
 * `npm run clock [-- <+step | instant>] [--data-dir DIR]`: shows the running local stack's clock, or
 * moves it forward: by a step (`+7d`, `+1d12h`, `+90m`, `+2w`) or to an instant with its zone
 * (`2026-06-01T07:00Z`, `2026-05-01T09:00:00+01:00`). Every schedule firing on the way is delivered
 * at its own time (the monthly invoicing once per month end passed, the daily void-bed check once a
 * day), and what it queued drains, before the clock goes on; the dev issuer's tokens are issued again
 * at the new time. The clock never goes back: start again with `npm start -- --fresh --clock …`.
 */
import { describeInstant, type ClockState } from '#infra/local/local-clock';
import type { ClockMove } from '#infra/local/runner';
import { control, run, runningStack } from './control';

run(async () => {
  const argv = process.argv.slice(2);
  const info = runningStack(argv);
  const [to] = argv;
  if (to === undefined) {
    const clock = await control<ClockState>(info, '/clock');
    console.log(`The stack's clock: ${describeInstant(clock.now)}${clock.shifted ? '' : ' (the wall clock)'}`);
    return 0;
  }
  const move = await control<ClockMove>(info, '/clock', { to });
  console.log(`The stack's clock moved from ${describeInstant(move.from)}\n                          to ${describeInstant(move.to)}`);
  if (move.fired.length === 0) console.log('No schedule was due on the way.');
  else console.log(`Schedules fired on the way, in order:`);
  let failed = false;
  for (const firing of move.fired) {
    const outcomes = firing.error ? [`not delivered: ${firing.error}`] : firing.targets.map((t) => `${t.id} ${t.ok ? 'ok' : `error ${JSON.stringify(t.error)}`}`);
    failed ||= Boolean(firing.error) || firing.targets.some((t) => !t.ok);
    console.log(`  ${firing.time}  ${firing.rule}: ${outcomes.join('; ')}`);
  }
  if (move.tokens) {
    console.log('\nDev tokens for the manager API, issued at the new time (also in stack.json):');
    for (const [role, token] of Object.entries(move.tokens)) console.log(`  ${role.padEnd(20)} ${token}`);
  }
  return failed ? 1 : 0;
});
