/**
 * The JSON contract of `microapps validate` and `microapps check` (src/core/check/report.ts
 * and the issue), as assertions: every test that reads a report checks its shape first, so
 * a field renamed or retyped fails loudly rather than making a later assertion vacuous.
 */
import { expect } from 'vitest';

export const DECISIONS = ['no_changes', 'auto_approve', 'manager_approval', 'security_team_review', 'deny', 'invalid'] as const;
export const CHANGES = ['added', 'modified', 'removed'] as const;
export const APPROVAL_ACTIONS = ['manager_approval', 'security_team_review', 'governance'] as const;

export type Decision = (typeof DECISIONS)[number];
export type Change = (typeof CHANGES)[number];

export interface Finding {
  severity: 'error' | 'warning' | 'notice';
  code: string;
  path: string;
  line: number;
  column: number;
  message: string;
}

export interface RequiredApproval {
  action: (typeof APPROVAL_ACTIONS)[number];
  reviewers: string[];
  reason: string;
}

export interface AppReport {
  app: string;
  path: string;
  change: Change;
  decision: Decision;
  rules: string[];
  required_approvals: RequiredApproval[];
  findings: Finding[];
  [extra: string]: unknown;
}

export const STEP_ACTIONS = ['create', 'update', 'delete', 'unchanged'] as const;

/** `provisioning` of a check report: what merging will do (optional; new fields only). */
export interface ProvisioningPreview {
  steps: Array<{ provisioner: string; app: string; action: (typeof STEP_ACTIONS)[number]; summary: string }>;
  notes: string[];
}

export interface CheckReport {
  decision: Decision;
  apps: AppReport[];
  governance: Array<{ path: string; change: Change }>;
  required_approvals?: RequiredApproval[];
  findings: Finding[];
  provisioning?: ProvisioningPreview;
  [extra: string]: unknown;
}

export interface ValidateReport {
  valid: boolean;
  findings: Finding[];
}

export function expectFindingShape(f: Finding): void {
  expect(f, JSON.stringify(f)).toEqual(
    expect.objectContaining({
      severity: expect.stringMatching(/^(error|warning|notice)$/),
      code: expect.stringMatching(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/),
      path: expect.any(String),
      line: expect.any(Number),
      column: expect.any(Number),
      message: expect.any(String),
    }),
  );
  expect(Number.isInteger(f.line) && f.line >= 1, `line is 1-based: ${JSON.stringify(f)}`).toBe(true);
  expect(Number.isInteger(f.column) && f.column >= 1, `column is 1-based: ${JSON.stringify(f)}`).toBe(true);
  // A backslash appears only in the escapes of a name that is not plain text (core/path-names.ts).
  const unescaped = f.path.replace(/\\(\\|x[0-9a-f]{2}|u[0-9a-f]{4})/g, '');
  expect(unescaped.includes('\\'), `paths use forward slashes: ${f.path}`).toBe(false);
  if (unescaped !== f.path) expect(f.code, `only a refused name is shown escaped: ${f.path}`).toBe('tree.path-name');
}

function expectApprovalShape(a: RequiredApproval): void {
  expect(APPROVAL_ACTIONS).toContain(a.action);
  expect(Array.isArray(a.reviewers)).toBe(true);
  for (const r of a.reviewers) expect(typeof r).toBe('string');
  expect(typeof a.reason).toBe('string');
}

export function expectValidateShape(report: ValidateReport): ValidateReport {
  expect(typeof report.valid).toBe('boolean');
  expect(Array.isArray(report.findings)).toBe(true);
  report.findings.forEach(expectFindingShape);
  return report;
}

export function expectCheckShape(report: CheckReport): CheckReport {
  expect(DECISIONS).toContain(report.decision);
  expect(Array.isArray(report.apps)).toBe(true);
  expect(Array.isArray(report.governance)).toBe(true);
  expect(Array.isArray(report.findings)).toBe(true);
  for (const app of report.apps) {
    expect(typeof app.app).toBe('string');
    expect(typeof app.path).toBe('string');
    expect(CHANGES).toContain(app.change);
    expect(DECISIONS).toContain(app.decision);
    expect(Array.isArray(app.rules)).toBe(true);
    for (const r of app.rules) expect(typeof r, `rule ids are strings: ${JSON.stringify(app.rules)}`).toBe('string');
    expect(Array.isArray(app.required_approvals)).toBe(true);
    app.required_approvals.forEach(expectApprovalShape);
    expect(Array.isArray(app.findings)).toBe(true);
    app.findings.forEach(expectFindingShape);
  }
  for (const g of report.governance) {
    expect(typeof g.path).toBe('string');
    expect(CHANGES).toContain(g.change);
  }
  report.findings.forEach(expectFindingShape);
  if (report.required_approvals !== undefined) report.required_approvals.forEach(expectApprovalShape);
  if (report.provisioning !== undefined) expectProvisioningShape(report.provisioning);
  return report;
}

/** The preview's shape; fails when it is missing. */
export function expectProvisioningShape(preview: ProvisioningPreview | undefined): ProvisioningPreview {
  expect(preview, 'a provisioning preview').toBeDefined();
  expect(Object.keys(preview!).sort()).toEqual(['notes', 'steps']);
  for (const s of preview!.steps) {
    expect(Object.keys(s).sort(), JSON.stringify(s)).toEqual(['action', 'app', 'provisioner', 'summary']);
    expect(s.provisioner).toMatch(/^(gateway|webhook:[a-z0-9-]+)$/);
    expect(typeof s.app).toBe('string');
    expect(STEP_ACTIONS).toContain(s.action);
    expect(s.summary.length).toBeGreaterThan(0);
  }
  for (const n of preview!.notes) expect(typeof n).toBe('string');
  return preview!;
}

/** Every finding of a check report, wherever it is listed (top level or under its app). */
export function allFindings(report: CheckReport): Finding[] {
  return [...report.findings, ...report.apps.flatMap((a) => a.findings)];
}

/** The app entry for `path`; fails with the whole report when it is missing. */
export function appAt(report: CheckReport, path: string): AppReport {
  const matches = report.apps.filter((a) => a.path === path);
  expect(matches, `exactly one apps[] entry for ${path} in ${JSON.stringify(report, null, 2)}`).toHaveLength(1);
  return matches[0]!;
}

/** The one finding with `code` (and `path` when given); fails with every finding otherwise. */
export function findingWith(findings: Finding[], code: string, path?: string): Finding {
  const matches = findings.filter((f) => f.code === code && (path === undefined || f.path === path));
  expect(matches.length, `a finding ${code}${path ? ` at ${path}` : ''} among ${JSON.stringify(findings, null, 2)}`).toBeGreaterThanOrEqual(
    1,
  );
  return matches[0]!;
}

export function approvalOf(approvals: RequiredApproval[] | undefined, action: RequiredApproval['action']): RequiredApproval {
  const match = (approvals ?? []).find((a) => a.action === action);
  expect(match, `a required approval "${action}" among ${JSON.stringify(approvals, null, 2)}`).toBeDefined();
  return match!;
}

/** `items`, asserted non-empty first: a loop of assertions over an empty list would pass silently. */
export function nonEmpty<T>(items: readonly T[] | undefined, what: string): readonly T[] {
  expect(items?.length ?? 0, `${what}: expected at least one`).toBeGreaterThan(0);
  return items!;
}
