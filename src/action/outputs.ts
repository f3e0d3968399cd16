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
import { encodedOutputBytes, setOutput } from './runner.js';

/** GitHub refuses a step summary over 1 MiB; stay clearly below it. */
export const SUMMARY_MAX_BYTES = 1_000_000;

/**
 * The budget of the `apps` output as written to GITHUB_OUTPUT (name, delimiters and line
 * breaks included). GitHub takes at most 1 MiB per output; half of it leaves room for the
 * other outputs and for later steps that pass it on.
 */
export const APPS_OUTPUT_MAX_BYTES = 512 * 1024;

export interface AppsOutput {
  /** The JSON array. */
  json: string;
  /** How many apps (the last ones) it leaves out; they are all in the report file. */
  omitted: number;
}

/**
 * The `apps` output: the report's apps in full; if that is over budget, each app without its
 * findings, reasons and remedies; if that is still over budget, as many whole apps of that
 * slim form as fit, and `omitted` says how many were left out. The budget holds on the final
 * bytes, whatever the paths' length.
 */
export function appsOutput(apps: CheckReport['apps'], maxBytes = APPS_OUTPUT_MAX_BYTES): AppsOutput {
  const full = JSON.stringify(apps);
  if (encodedOutputBytes('apps', full) <= maxBytes) return { json: full, omitted: 0 };
  const slim = apps.map(({ app, path, change, decision, rules, required_approvals }) =>
    JSON.stringify({ app, path, change, decision, rules, required_approvals }),
  );
  // "[" + entries joined by "," + "]": count bytes as they are added.
  let used = encodedOutputBytes('apps', '[]');
  let kept = 0;
  for (const entry of slim) {
    const more = Buffer.byteLength(entry, 'utf8') + (kept > 0 ? 1 : 0);
    if (used + more > maxBytes) break;
    used += more;
    kept++;
  }
  return { json: `[${slim.slice(0, kept).join(',')}]`, omitted: apps.length - kept };
}

/** The outputs of the policy check (merge mode sets them too, from the merge's own check). */
export function setCheckOutputs(report: CheckReport): void {
  const reportPath = join(process.env.RUNNER_TEMP || tmpdir(), 'microapps-report.json');
  writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  setOutput('decision', report.decision);
  const apps = appsOutput(report.apps);
  setOutput('apps', apps.json);
  setOutput('apps-omitted', String(apps.omitted));
  setOutput('required-approvals', JSON.stringify(report.required_approvals));
  setOutput('report', reportPath);
}

/** merge mode's outputs; undefined: nothing was recorded (check mode, or no push to a branch). */
export function setMergeOutputs(
  outcome: { commit?: string; entries: readonly unknown[]; results: readonly StepResult[] } | undefined,
): void {
  setOutput('audit-commit', outcome?.commit ?? '');
  setOutput('entries', String(outcome?.entries.length ?? 0));
  setOutput('provisioning-failed', String(outcome?.results.filter((r) => r.status === 'failed').length ?? 0));
}
