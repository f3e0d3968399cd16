/**
 * The Action judges what merging lands (base now -> the branch merged onto it) and treats the
 * gate's own code (action/, package.json, ...; the base policy's governance_paths) as a
 * governance change, exactly as the CLI does.
 */
import { describe, expect, it } from 'vitest';
import { expectActionOutputs } from '../helpers/action-contract.js';
import { appAt, approvalOf } from '../helpers/contract.js';
import { createSeededRepo, openPullRequest, useTempRepos } from '../helpers/git-repo.js';
import {
  branchBeforePromotion,
  branchBehindMain,
  DASHBOARD,
  DIGEST,
  toGithubLogin,
  updated,
  withJiraConnector,
} from '../helpers/merge-scenarios.js';
import { runAction, runPullRequest } from '../helpers/run-action.js';

useTempRepos();

describe('action: what merging lands', () => {
  it('a branch made before the app was promoted edits auth.provider: fails closed, not auto-approved', () => {
    const repo = branchBeforePromotion(toGithubLogin);
    const r = runAction({ repoDir: repo.dir, event: 'pull_request', base: repo.sha('main'), head: repo.sha('feature') });
    const report = expectActionOutputs(r);
    expect(report.decision).toBe('invalid');
    const app = appAt(report, DASHBOARD);
    expect(app.findings.map((f) => f.code)).toContain('merge.conflict');
    expect(app.findings.find((f) => f.code === 'merge.conflict')!.message).toContain('Update your branch');
  });

  it('once the branch is updated, the auth.provider edit is judged as the production app it now is: denied by rule 006', () => {
    const repo = updated(branchBeforePromotion(toGithubLogin));
    const report = expectActionOutputs(runAction({ repoDir: repo.dir, event: 'pull_request', base: repo.sha('main'), head: repo.sha() }));
    expect(report.decision).toBe('deny');
    expect(appAt(report, DASHBOARD).rules).toContain('006');
  });

  it('a connector added to a now-production app: fails closed before the update, needs approval after', () => {
    const repo = branchBeforePromotion(withJiraConnector);
    const base = repo.sha('main');
    const before = expectActionOutputs(runAction({ repoDir: repo.dir, event: 'pull_request', base, head: repo.sha('feature') }));
    expect(before.decision).toBe('invalid');
    expect(appAt(before, DASHBOARD).findings.map((f) => f.code)).toContain('merge.conflict');
    updated(repo);
    const after = expectActionOutputs(runAction({ repoDir: repo.dir, event: 'pull_request', base, head: repo.sha() }));
    expect(after.decision).not.toBe('auto_approve');
    expect(after.decision).not.toBe('invalid');
    expect(appAt(after, DASHBOARD).required_approvals.length).toBeGreaterThan(0);
  });

  it('a branch behind main with a change of its own is judged for that change alone', () => {
    const repo = branchBehindMain();
    const report = expectActionOutputs(
      runAction({ repoDir: repo.dir, event: 'pull_request', base: repo.sha('main'), head: repo.sha('feature') }),
    );
    expect(report.apps.map((a) => a.path)).toEqual([DIGEST]);
    expect(report.decision).toBe('auto_approve');
  });

  it('a branch merely behind main has no changes', () => {
    const repo = createSeededRepo();
    const head = repo.sha();
    repo.write(DASHBOARD, repo.read(DASHBOARD).replace('environment: sandbox', 'environment: production'));
    const base = repo.commit('main moves on');
    const report = expectActionOutputs(runAction({ repoDir: repo.dir, event: 'pull_request', base, head }));
    expect(report).toMatchObject({ decision: 'no_changes', apps: [], governance: [] });
  });
});

describe("action: the gate's own code needs the governance approvers", () => {
  it('a pull request editing action/ (the code that runs this very check)', () => {
    const r = runPullRequest({ write: { 'action/dist/index.js': 'console.log("always pass");\n' } });
    const report = expectActionOutputs(r);
    expect(report.decision).toBe('security_team_review');
    expect(report.governance).toEqual([{ path: 'action/dist/index.js', change: 'added' }]);
    approvalOf(report.required_approvals, 'governance');
  });

  it('a pull request editing package.json', () => {
    const report = expectActionOutputs(runPullRequest({ write: { 'package.json': '{ "scripts": { "postinstall": "true" } }\n' } }));
    expect(report.governance.map((g) => g.path)).toEqual(['package.json']);
    approvalOf(report.required_approvals, 'governance');
  });

  it("the base policy's list counts, the head's does not", () => {
    const repo = createSeededRepo();
    repo.write(
      'policies/approval.yaml',
      repo.read('policies/approval.yaml').replace(/^policy:\n/m, 'governance_paths: [tools/]\n\npolicy:\n'),
    );
    const base = repo.commit('base names tools/');
    openPullRequest(repo, {
      write: {
        'tools/judge.sh': 'exit 0\n',
        'policies/approval.yaml': repo
          .read('policies/approval.yaml')
          .replace('governance_paths: [tools/]', 'governance_paths: [elsewhere/]'),
      },
    });
    const report = expectActionOutputs(runAction({ repoDir: repo.dir, event: 'pull_request', base, head: repo.sha() }));
    expect(report.governance.map((g) => g.path)).toEqual(['policies/approval.yaml', 'tools/judge.sh']);
  });
});
