/**
 * `npm run import -- <folder> [--check] [--data-dir DIR]`: the go-live import (docs/going-live.md)
 * into the running local stack, through its API (`POST /api/imports`) as finance would call it,
 * with the stack's finance token. Sends the folder's homes.csv, beds.csv, placements.csv and
 * extras.csv (those present); posts again while the API answers `partial`; prints what was
 * written and what was already there, or every bad row as `file:line:column  rule  message`
 * (then nothing was written, and it exits 1). `--check` checks and plans only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMPORT_FILES } from '#lib/go-live/go-live-import';
import { ImportOutcome } from '#lib/go-live/import-outcome';
import { run, runningStack } from './control';

const USAGE = 'usage: npm run import -- <folder> [--check] [--data-dir DIR]   (e.g. events/import)';
/** Enough for any estate: each call writes up to 150 transactions. */
const MAX_CALLS = 1_000;

run(async () => {
  const argv = process.argv.slice(2);
  const info = runningStack(argv);
  const check = argv.includes('--check');
  const [folder] = argv.filter((a) => a !== '--check');
  if (!folder) throw new Error(USAGE);
  const files = Object.fromEntries(IMPORT_FILES.filter((name) => existsSync(join(folder, name))).map((name) => [name, readFileSync(join(folder, name), 'utf8')]));
  if (Object.keys(files).length === 0) throw new Error(`${folder} has none of ${IMPORT_FILES.join(', ')}\n${USAGE}`);
  const token = info.auth?.tokens.finance;
  if (!info.apiUrl || !token) throw new Error('the running stack has no manager API or no finance token (see .local/stack.json)');
  console.log(`importing ${Object.keys(files).join(', ')} from ${folder}${check ? ' (check only: nothing is written)' : ''}`);

  const started = Date.now();
  const total = { homes: 0, placements: 0, transactions: 0 };
  // What was there before this run: later calls also count what the earlier ones wrote.
  let before: { homes: number; placements: number } | undefined;
  for (let call = 1; call <= MAX_CALLS; call++) {
    const response = await fetch(`${info.apiUrl}/api/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ files, check }),
    });
    const body = (await response.json()) as { detail?: string; errors?: { field: string; rule: string; message: string }[] };
    if (!response.ok) {
      console.error(`${response.status}: ${body.detail ?? 'refused'}`);
      for (const e of body.errors ?? []) console.error(`  ${e.field}  ${e.rule}  ${e.message}`);
      return 1;
    }
    const outcome = ImportOutcome.parse(body);
    if (outcome.status === 'refused') throw new Error('the API answered 200 with a refusal');
    before ??= outcome.unchanged;
    total.homes += outcome.written.homes;
    total.placements += outcome.written.placements;
    total.transactions += outcome.transactions;
    if (outcome.status === 'partial') {
      console.log(`  … ${total.homes} homes and ${total.placements} placements written so far; ${outcome.remaining.homes} homes and ${outcome.remaining.placements} placements to go`);
      continue;
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (outcome.status === 'checked') {
      console.log(`every row is good: would write ${outcome.remaining.homes} homes and ${outcome.remaining.placements} placements; ${before.homes} homes and ${before.placements} placements are already there as the files say`);
    } else {
      console.log(`written: ${total.homes} homes, ${total.placements} placements (${total.transactions} transactions, ${call} calls, ${seconds} s)`);
      console.log(`already there as the files say: ${before.homes} homes, ${before.placements} placements`);
    }
    return 0;
  }
  throw new Error(`still partial after ${MAX_CALLS} calls`);
});
