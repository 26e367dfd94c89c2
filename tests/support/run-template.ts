/**
 * The stack's template (bundle: false), synthesized at most once per vitest run. Both projects that
 * read it (stack and infra, vitest.config.ts) have global setups; those run in vitest's main process
 * but each loads its own copy of this module, so the one synthesis is kept on the process's global object.
 */
export type SynthesizedTemplate = { ok: Record<string, unknown> } | { error: string };

const RUN_TEMPLATE = Symbol.for('cared-for.tests.run-template');

async function synthesize(): Promise<SynthesizedTemplate> {
  try {
    const { synthesizeTemplate } = await import('#infra/synth');
    return { ok: synthesizeTemplate({ bundle: false }) };
  } catch (error) {
    return { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}

export function runTemplate(): Promise<SynthesizedTemplate> {
  const run = globalThis as typeof globalThis & { [RUN_TEMPLATE]?: Promise<SynthesizedTemplate> };
  run[RUN_TEMPLATE] ??= synthesize();
  return run[RUN_TEMPLATE];
}
