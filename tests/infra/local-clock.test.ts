import { describe, expect, inject, it } from 'vitest';
import { LOCAL_CLOCK_VARIABLE } from '#lib/stack-clock';

/**
 * A deployed stack always runs on real time: the local runner's clock lives in the runner alone
 * (infra/local), so the synthesized template carries nothing of it, and a function that finds the
 * runner's variable outside the runner refuses to start (tests/unit/stack-clock.test.ts).
 */

type Json = Record<string, any>;

function template(): Json {
  const synthesized = inject('stackTemplate');
  if (!synthesized) throw new Error(`the stack did not synthesize: ${inject('stackTemplateError')}`);
  return synthesized;
}

describe('the template and the local clock', () => {
  it('names no clock variable anywhere: not the runner\'s, not the tests\'', () => {
    const text = JSON.stringify(template());
    for (const name of [LOCAL_CLOCK_VARIABLE, 'CARED_FOR_TEST_NOW', 'CARED_FOR_WALL_CLOCK']) expect(text).not.toContain(name);
  });

  it('gives no function an environment variable about the clock or the time', () => {
    const functions = Object.entries(template().Resources as Json).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(0);
    const variables = functions.flatMap(([id, r]) => Object.keys(r.Properties.Environment?.Variables ?? {}).map((name) => `${id}.${name}`));
    expect(variables.filter((v) => /CLOCK|TIME_?SHIFT|FAKETIME|TEST_NOW|[._]NOW$/i.test(v))).toEqual([]);
  });
});
