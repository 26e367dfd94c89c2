/**
 * vitest globalSetup of the infra project: the stack's template, the same one synthesis as the stack
 * project's (tests/support/run-template.ts), through `inject('stackTemplate')`; no emulators.
 */
import type { TestProject } from 'vitest/node';
import { runTemplate } from './run-template';

export default async function setup(project: TestProject): Promise<void> {
  const template = await runTemplate();
  project.provide('stackTemplate', 'ok' in template ? template.ok : undefined);
  project.provide('stackTemplateError', 'error' in template ? template.error : undefined);
}
