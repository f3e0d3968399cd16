/**
 * The step's outputs. Every declared output gets a value in both modes (the runner contract
 * test checks each is set exactly once): check mode leaves the merge ones empty, merge mode
 * sets the check ones from the merge's own judgement.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckReport } from '../core/check/report.js';
import type { StepResult } from '../core/provision/types.js';
import { setOutput } from './runner.js';

/** GitHub refuses a step summary over 1 MiB; stay clearly below it. */
export const SUMMARY_MAX_BYTES = 1_000_000;

/** Above this, the `apps` output drops each app's findings and reasons (they are in the report). */
export const APPS_OUTPUT_MAX_BYTES = 512 * 1024;

/**
 * The `apps` output: the report's apps, or, for a very large change, each app without its
 * findings, reasons and remedies, so the output stays well within GitHub's 1 MB output limit.
 */
export function appsOutput(apps: CheckReport['apps']): string {
  const full = JSON.stringify(apps);
  if (Buffer.byteLength(full, 'utf8') <= APPS_OUTPUT_MAX_BYTES) return full;
  return JSON.stringify(apps.map(({ app, path, change, decision, rules, required_approvals }) => ({ app, path, change, decision, rules, required_approvals })));
}

/** The outputs of the policy check (merge mode sets them too, from the merge's own check). */
export function setCheckOutputs(report: CheckReport): void {
  const reportPath = join(process.env.RUNNER_TEMP || tmpdir(), 'microapps-report.json');
  writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  setOutput('decision', report.decision);
  setOutput('apps', appsOutput(report.apps));
  setOutput('required-approvals', JSON.stringify(report.required_approvals));
  setOutput('report', reportPath);
}

/** merge mode's outputs; undefined: nothing was recorded (check mode, or no push to a branch). */
export function setMergeOutputs(outcome: { commit?: string; entries: readonly unknown[]; results: readonly StepResult[] } | undefined): void {
  setOutput('audit-commit', outcome?.commit ?? '');
  setOutput('entries', String(outcome?.entries.length ?? 0));
  setOutput('provisioning-failed', String(outcome?.results.filter((r) => r.status === 'failed').length ?? 0));
}
