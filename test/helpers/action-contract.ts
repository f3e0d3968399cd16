/**
 * The Action's contract with the runner and with later workflow steps (action/action.yml),
 * as assertions on a runAction() result: every declared output set exactly once, outputs
 * that agree with the JSON report, the report file under RUNNER_TEMP, no stack traces.
 */
import { expect } from 'vitest';
import { DECISIONS, expectCheckShape, type CheckReport } from './contract.js';
import { actionYml, type ActionResult, type WorkflowCommand } from './run-action.js';
import { readerText } from './markdown.js';

/** GitHub shows at most this many annotations of each kind (error, warning, notice) per step. */
export const GITHUB_ANNOTATIONS_PER_SEVERITY = 10;

/** The step summary GitHub accepts is at most 1 MiB; the action promises to stay under 1,000,000 bytes. */
export const SUMMARY_LIMIT_BYTES = 1_000_000;

/** Checks the outputs of a run that got as far as a decision; returns the parsed report. */
export function expectActionOutputs(r: ActionResult): CheckReport {
  const declared = Object.keys(actionYml().outputs ?? {}).sort();
  expect(declared.length, 'action.yml declares outputs').toBeGreaterThan(0);
  const names = r.outputEntries.map((e) => e.name);
  expect([...names].sort(), `every declared output is set exactly once\n${r.describe()}`).toEqual(declared);
  for (const e of r.outputEntries) expect(e.form, `output ${e.name} is written as a heredoc`).toBe('heredoc');

  expect(DECISIONS).toContain(r.outputs.decision);
  expect(r.reportPathInRunnerTemp, `the report output (${r.outputs.report}) is a file under RUNNER_TEMP`).toBeDefined();
  expect(r.report, `the report file exists and is JSON\n${r.describe()}`).toBeDefined();
  const report = expectCheckShape(r.report as CheckReport);
  expect(r.outputs.decision).toBe(report.decision);
  // The apps output: the report's apps in full, or the slim form (no findings, reasons,
  // remedies), or the first apps of the slim form with apps-omitted counting the rest.
  const apps = JSON.parse(r.outputs.apps!) as unknown[];
  const omitted = Number(r.outputs['apps-omitted']);
  expect(Number.isInteger(omitted) && omitted >= 0, `apps-omitted is a count: ${r.outputs['apps-omitted']}`).toBe(true);
  expect(apps.length + omitted, 'apps-omitted counts exactly the apps left out').toBe(report.apps.length);
  const slimApps = report.apps.map(({ app, path, change, decision, rules, required_approvals }) => ({
    app,
    path,
    change,
    decision,
    rules,
    required_approvals,
  }));
  const slim = omitted > 0 || JSON.stringify(apps) !== JSON.stringify(report.apps);
  expect(apps, "the apps output is the report's apps (whole ones, first first)").toEqual(
    slim ? slimApps.slice(0, apps.length) : report.apps,
  );
  expect(outputEntryBytes(r, 'apps'), 'the apps output as written stays within its 512 KiB budget').toBeLessThanOrEqual(512 * 1024);
  expect(JSON.parse(r.outputs['required-approvals']!), "the required-approvals output is the report's").toEqual(report.required_approvals);
  expectNoCrash(r);
  return report;
}

/** The bytes an output takes in the GITHUB_OUTPUT file: name<<DELIMITER, value, DELIMITER, line breaks. */
export function outputEntryBytes(r: ActionResult, name: string): number {
  const entry = r.outputEntries.find((e) => e.name === name);
  if (!entry) throw new Error(`no output ${name}`);
  return entry.bytes;
}

/** No stack trace anywhere: the step reports problems in words. */
export function expectNoCrash(r: ActionResult): void {
  expect(r.signal, r.describe()).toBeNull();
  for (const text of [r.stdout, r.stderr]) {
    expect(text, `no stack trace\n${r.describe()}`).not.toMatch(/\n\s+at .+[(:]\d+/);
    expect(text).not.toMatch(/Uncaught|UnhandledPromiseRejection|TypeError|ReferenceError/);
  }
}

/** The annotations of one kind (error, warning, notice) that point at a file. */
export function fileAnnotations(r: ActionResult, kind: string): WorkflowCommand[] {
  return r.annotations(kind).filter((c) => c.properties.file !== undefined);
}

/** The ::error:: that marks the step failed (an error command without a file). */
export function failureMessages(r: ActionResult): string[] {
  return r
    .annotations('error')
    .filter((c) => c.properties.file === undefined)
    .map((c) => c.message);
}

/**
 * The summary as a reader sees it: markdown backslash escapes undone and code spans (which
 * hold mentions) unwrapped, so texts of the report can be looked up in it.
 */
export function plainSummary(markdown: string): string {
  return readerText(markdown);
}

export function expectAnnotationLimits(r: ActionResult): void {
  for (const kind of ['error', 'warning', 'notice']) {
    expect(
      r.annotations(kind).length,
      `at most ${GITHUB_ANNOTATIONS_PER_SEVERITY} ${kind} annotations (GitHub drops the rest)\n${r
        .annotations(kind)
        .map((c) => c.raw)
        .join('\n')}`,
    ).toBeLessThanOrEqual(GITHUB_ANNOTATIONS_PER_SEVERITY);
  }
}
