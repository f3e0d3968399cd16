/**
 * A pull request is judged by what merging it lands: from the base as it is now to the merge of
 * the branch onto it (src/core/check/merge-listings.ts), not from where the branch started. A
 * branch made before an app was promoted cannot have its edit judged against the old sandbox
 * version; a branch that is merely behind is not blamed for what landed on the base.
 */
import { describe, expect, it } from 'vitest';
import { appAt, expectCheckShape, findingWith, type CheckReport } from '../helpers/contract.js';
import { createSeededRepo, useTempRepos } from '../helpers/git-repo.js';
import {
  branchBeforePromotion,
  branchBehindMain,
  DASHBOARD,
  DIGEST,
  replaced,
  toGithubLogin,
  updated,
  withJiraConnector,
} from '../helpers/merge-scenarios.js';
import { check } from '../helpers/run-cli.js';

useTempRepos();

describe('check: judged against the base as it is now, merged', () => {
  it('a branch made before the app was promoted edits auth.provider: not auto-approved, fails closed with the path and "update your branch"', () => {
    const repo = branchBeforePromotion(toGithubLogin);
    const r = check(repo.dir, 'main', 'feature');
    expect(r.code, r.describe()).toBe(1);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(report.decision).toBe('invalid');
    const app = appAt(report, DASHBOARD);
    expect(app.decision).toBe('invalid');
    const conflict = findingWith(app.findings, 'merge.conflict', DASHBOARD);
    expect(conflict.severity).toBe('error');
    expect(conflict.message).toMatch(/^The app changed on main \([0-9a-f]{7}\) since you branched/);
    expect(conflict.message).toContain('Update your branch');
  });

  it('once the branch is updated, the same edit is judged as production: rule 006 denies it', () => {
    const repo = branchBeforePromotion(toGithubLogin);
    updated(repo);
    expect(repo.read(DASHBOARD)).toContain('environment: production');
    const r = check(repo.dir, 'main', 'feature');
    const report = expectCheckShape(r.json<CheckReport>());
    expect(report.decision, r.describe()).toBe('deny');
    expect(appAt(report, DASHBOARD).rules).toContain('006');
  });

  it('same trick with a connector added to a now-production app: not auto-approved, and needs approval once updated', () => {
    const repo = branchBeforePromotion(withJiraConnector);
    const first = expectCheckShape(check(repo.dir, 'main', 'feature').json<CheckReport>());
    expect(first.decision).toBe('invalid');
    findingWith(appAt(first, DASHBOARD).findings, 'merge.conflict', DASHBOARD);

    updated(repo);
    const after = expectCheckShape(check(repo.dir, 'main', 'feature').json<CheckReport>());
    expect(after.decision).not.toBe('auto_approve');
    expect(after.decision).not.toBe('invalid');
    expect(appAt(after, DASHBOARD).required_approvals.length).toBeGreaterThan(0);
  });

  it('a branch that is merely behind is not blamed for what landed on main (another app changed: only it is judged)', () => {
    const repo = branchBehindMain();
    const report = expectCheckShape(check(repo.dir, 'main', 'feature').json<CheckReport>());
    expect(report.apps.map((a) => a.path)).toEqual([DIGEST]);
    expect(report.findings.filter((f) => f.code === 'merge.conflict')).toEqual([]);
    expect(report.decision).toBe('auto_approve');
  });

  it('a branch with no change of its own, behind main, has no changes (CLI with --head and the working tree)', () => {
    const repo = createSeededRepo();
    repo.branch('feature');
    repo.checkout('main');
    repo.write(DASHBOARD, replaced(repo.read(DASHBOARD), 'environment: sandbox', 'environment: production'));
    repo.write('policies/approval.yaml', `${repo.read('policies/approval.yaml')}\n# a comment landed on main\n`);
    repo.commit('main moves on');
    const withHead = check(repo.dir, 'main', 'feature');
    expect(withHead.code, withHead.describe()).toBe(0);
    expect(expectCheckShape(withHead.json<CheckReport>())).toMatchObject({ decision: 'no_changes', apps: [], governance: [] });

    repo.checkout('feature');
    const workingTree = check(repo.dir, 'main');
    expect(workingTree.code, workingTree.describe()).toBe(0);
    expect(expectCheckShape(workingTree.json<CheckReport>())).toMatchObject({ decision: 'no_changes', apps: [], governance: [] });
  });

  it('a governance file changed differently on both sides is a conflict too, named by path', () => {
    const repo = createSeededRepo();
    repo.branch('feature');
    repo.write('connectors/jira_read_only.yaml', `${repo.read('connectors/jira_read_only.yaml')}# branch\n`);
    repo.commit('branch edits a connector');
    repo.checkout('main');
    repo.write('connectors/jira_read_only.yaml', `${repo.read('connectors/jira_read_only.yaml')}# main\n`);
    repo.commit('main edits it too');
    const r = check(repo.dir, 'main', 'feature');
    const report = expectCheckShape(r.json<CheckReport>());
    expect(report.decision, r.describe()).toBe('invalid');
    const conflict = findingWith(report.findings, 'merge.conflict', 'connectors/jira_read_only.yaml');
    expect(conflict.message).toMatch(/^This file changed on main/);
  });
});
