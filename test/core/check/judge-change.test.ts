import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffTrees } from '../../../src/core/check/diff-trees.js';
import { judgeChange } from '../../../src/core/check/judge-change.js';
import { planReads } from '../../../src/core/check/plan-reads.js';
import { loadFile } from '../../../src/core/registry/load-file.js';
import { roleOf, type TreeListing } from '../../../src/core/tree.js';

type Files = Record<string, string>;

const ROOT = join(import.meta.dirname, '..', '..', '..');
/** The shipped policy, directory and connectors: the judging half of every test tree. */
const SHIPPED: Files = Object.fromEntries([
  ...['policies/approval.yaml', 'policies/owners.yaml'].map((p) => [p, readFileSync(join(ROOT, p), 'utf8')]),
  ...readdirSync(join(ROOT, 'connectors')).map((f) => [`connectors/${f}`, readFileSync(join(ROOT, 'connectors', f), 'utf8')]),
]);

const listing = (files: Files): TreeListing => ({
  entries: Object.keys(files)
    .sort()
    .map((path) => ({ path, kind: 'file' as const, oid: createHash('sha1').update(files[path]!).digest('hex') })),
});

/** Runs the core pipeline on two in-memory trees, reading only what the plan asks for. */
function judge(base: Files, head: Files) {
  const [b, h] = [listing(base), listing(head)];
  const diff = diffTrees(b, h);
  const plan = planReads(diff, b, h);
  const load = (files: Files, paths: string[]) => paths.map((p) => loadFile(p, roleOf(p), new TextEncoder().encode(files[p]!)));
  return judgeChange({
    diff,
    base: { listing: b, files: load(base, plan.base), label: 'base' },
    previous: load(base, plan.previous),
    head: { listing: h, files: load(head, plan.head), label: 'head' },
    fullHeadValidation: plan.fullHeadValidation,
  });
}

const app = (name: string, environment: string, connectors: string) => `name: ${name}
owner: it-platform@example.com
environment: ${environment}
auth: {type: oidc, provider: company-sso, scopes: [openid, profile, email]}
connectors: ${connectors}
`;

describe('judgeChange', () => {
  it('reports no_changes when nothing governed changed', () => {
    expect(judge(SHIPPED, { ...SHIPPED, 'docs/x.md': 'hi' }).decision).toBe('no_changes');
  });

  it('auto-approves a sandbox app on pre-approved connectors by rule 001', () => {
    const report = judge(SHIPPED, { ...SHIPPED, 'registry/it/demo-app.yaml': app('demo-app', 'sandbox', '[jira_read_only]') });
    expect(report.decision).toBe('auto_approve');
    expect(report.apps[0]).toMatchObject({ app: 'demo-app', change: 'added', decision: 'auto_approve', rules: ['001'] });
    expect(report.required_approvals).toEqual([]);
  });

  it('judges with the base policy even when the head rewrites it, and asks the governance approvers', () => {
    const lenient = 'policy:\n  - id: 1\n    name: everything\n    conditions: [environment == "production"]\n    action: auto_approve\n';
    const head = { ...SHIPPED, 'policies/approval.yaml': lenient, 'registry/it/hr-bot.yaml': app('hr-bot', 'production', '[hr_api_read]') };
    const report = judge(SHIPPED, head);
    expect(report.apps[0]!.decision).toBe('security_team_review');
    expect(report.apps[0]!.rules).toEqual(['002', '003']);
    expect(report.governance).toEqual([{ path: 'policies/approval.yaml', change: 'modified' }]);
    expect(report.required_approvals.map((a) => a.action)).toEqual(['manager_approval', 'security_team_review', 'governance']);
    expect(report.required_approvals[2]!.reviewers).toEqual(['@example-org/platform-governance']);
  });

  it("fails closed when the base branch's owner directory does not load: no owner can be checked", () => {
    const base = { ...SHIPPED, 'policies/owners.yaml': 'owners:\n  not-a-mailbox: {}\n' };
    // Even when the pull request repairs the directory: its own copy does not judge its apps.
    const report = judge(base, { ...SHIPPED, 'registry/it/demo-app.yaml': app('demo-app', 'sandbox', '[jira_read_only]') });
    expect(report.decision).toBe('invalid');
    expect(report.findings.map((f) => f.code)).toContain('base.directory-unusable');
    // The repair alone is judged as a governance change, not blocked.
    const repair = judge(base, SHIPPED);
    expect(repair.findings.map((f) => f.code)).not.toContain('base.directory-unusable');
    expect(repair.decision).toBe('security_team_review');
  });

  it('exposes the change to the policy: a modification that adds the HR connector', () => {
    const base = { ...SHIPPED, 'registry/it/demo-app.yaml': app('demo-app', 'production', '[jira_read_only]') };
    const head = { ...SHIPPED, 'registry/it/demo-app.yaml': app('demo-app', 'production', '[jira_read_only, hr_api_read]') };
    expect(judge(base, head).apps[0]).toMatchObject({ change: 'modified', rules: ['002', '003'] });
  });

  it('judges a removal by the base manifest', () => {
    const base = { ...SHIPPED, 'registry/it/demo-app.yaml': app('demo-app', 'sandbox', '[jira_read_only]') };
    expect(judge(base, SHIPPED).apps[0]).toMatchObject({ change: 'removed', decision: 'auto_approve', rules: ['007'] });
  });

  it('fails closed when the base branch has no usable policy', () => {
    const { 'policies/approval.yaml': _, ...noPolicy } = SHIPPED;
    const report = judge(noPolicy, { ...noPolicy, 'registry/it/demo-app.yaml': app('demo-app', 'sandbox', '[jira_read_only]') });
    expect(report.decision).toBe('invalid');
    expect(report.findings.map((f) => f.code)).toContain('base.policy-unusable');
  });

  it('refuses a change that deletes the policy', () => {
    const { 'policies/approval.yaml': _, ...noPolicy } = SHIPPED;
    const report = judge(SHIPPED, noPolicy);
    expect(report.decision).toBe('invalid');
    expect(report.findings.map((f) => f.code)).toContain('registry.no-policy');
  });

  it('denies any change under audit/ even next to an auto-approvable app', () => {
    const report = judge(SHIPPED, {
      ...SHIPPED,
      'audit/entries.jsonl': '{}',
      'registry/it/demo-app.yaml': app('demo-app', 'sandbox', '[jira_read_only]'),
    });
    expect(report.decision).toBe('deny');
  });

  it('re-validates unchanged apps when a connector they use is removed', () => {
    const base: Files = { ...SHIPPED, 'registry/it/demo-app.yaml': app('demo-app', 'sandbox', '[servicenow_tickets]') };
    const { 'connectors/servicenow_tickets.yaml': _, ...head } = base;
    const report = judge(base, head);
    expect(report.decision).toBe('invalid');
    expect(report.findings).toContainEqual(expect.objectContaining({ path: 'registry/it/demo-app.yaml', code: 'app.unknown-connector' }));
  });
});

describe('judgeChange: required approvals', () => {
  it('keeps the managers of different owners apart, so neither approves for the other', () => {
    const hrApp = app('hr-bot', 'production', '[hr_api_read]').replace('it-platform@example.com', 'hr-team@example.com');
    const finApp = app('fin-bot', 'production', '[hr_api_read]').replace('it-platform@example.com', 'finance-team@example.com');
    const report = judge(SHIPPED, { ...SHIPPED, 'registry/hr/hr-bot.yaml': hrApp, 'registry/finance/fin-bot.yaml': finApp });
    const managers = report.required_approvals.filter((a) => a.action === 'manager_approval');
    expect(managers).toHaveLength(2);
    expect(managers.map((m) => m.reviewers)).not.toContainEqual([...managers[0]!.reviewers, ...managers[1]!.reviewers]);
    // Security is one team for both: one entry.
    expect(report.required_approvals.filter((a) => a.action === 'security_team_review')).toHaveLength(1);
  });
});
