/**
 * What a change is: additions, modifications, removals, renames (a removal plus an addition),
 * and the change.* variables of the policy language.
 */
import { describe, expect, it } from 'vitest';
import { appAt, expectCheckShape, type CheckReport } from '../helpers/contract.js';
import { createRepo, createSeededRepo, openPullRequest, seedRegistry, useTempRepos } from '../helpers/git-repo.js';
import { fixture } from '../helpers/paths.js';
import { check } from '../helpers/run-cli.js';

useTempRepos();

const LAPTOP = 'registry/it/laptop-refresh-tracker.yaml';

/** laptop-refresh-tracker with hr_api_read added as its first connector. */
function withHrConnector(text: string): string {
  const out = text.replace(/^connectors:\n/m, 'connectors:\n  - id: hr_api_read\n    scopes: [org_chart:read]\n');
  if (out === text) throw new Error('the seeded laptop-refresh-tracker has no "connectors:" block');
  return out;
}

describe('check: modifications', () => {
  it('a production app modified to add hr_api_read gets rule "002" (and "003" through pii)', () => {
    const repo = createSeededRepo();
    // Before the change no rule matches this app: the default (manager_approval) applies.
    const head = openPullRequest(repo, { write: { [LAPTOP]: withHrConnector(repo.read(LAPTOP)) } });
    const r = check(repo.dir, 'main', head);
    expect(r.code, r.describe()).toBe(0);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(report.apps).toHaveLength(1);
    const app = appAt(report, LAPTOP);
    expect(app).toMatchObject({ app: 'laptop-refresh-tracker', change: 'modified' });
    expect(app.rules).toContain('002');
    expect(app.rules).toEqual(['002', '003']);
    expect(app.decision).toBe('security_team_review');
    expect(app.required_approvals.map((a) => a.action)).toEqual(['manager_approval', 'security_team_review']);
  });

  it('evaluates change.kind, change.added_connectors and change.previous_environment of the base policy', () => {
    const repo = createRepo();
    seedRegistry(repo, { apps: [], policyTests: false, commit: false });
    repo.write('policies/approval.yaml', fixture('policies/change-aware.yaml'));
    repo.write('registry/it/standup-notes-bot.yaml', fixture('apps/standup-notes-bot.yaml'));
    repo.write('registry/it/release-notes-publisher.yaml', fixture('apps/release-notes-publisher.yaml'));
    repo.commit('registry with a change-aware policy');

    const promoted = fixture('apps/standup-notes-bot.yaml')
      .replace('environment: sandbox', 'environment: production')
      .replace('  - jira_read_only\n', '  - jira_read_only\n  - id: hr_api_read\n    scopes: [org_chart:read]\n');
    expect(promoted).toContain('hr_api_read');
    const head = openPullRequest(repo, {
      write: {
        // modified: sandbox -> production, and hr_api_read added: rules 101 and 102
        'registry/it/standup-notes-bot.yaml': promoted,
        // modified, but only the description: no rule, the default applies
        'registry/it/release-notes-publisher.yaml': `${fixture('apps/release-notes-publisher.yaml')}description: Now with a description.\n`,
        // added with hr_api_read: change.kind is "added", so rule 101 does not match
        'registry/hr/team-anniversaries.yaml': fixture('apps/team-anniversaries.yaml'),
      },
    });
    const r = check(repo.dir, 'main', head);
    expect(r.code, r.describe()).toBe(0);
    const report = expectCheckShape(r.json<CheckReport>());

    const bot = appAt(report, 'registry/it/standup-notes-bot.yaml');
    expect(bot.change).toBe('modified');
    expect(bot.rules, r.describe()).toEqual(['101', '102']);
    expect(bot.decision).toBe('security_team_review');

    const publisher = appAt(report, 'registry/it/release-notes-publisher.yaml');
    expect(publisher.change).toBe('modified');
    expect(publisher.rules, r.describe()).toEqual([]);
    expect(publisher.decision).toBe('manager_approval');

    const added = appAt(report, 'registry/hr/team-anniversaries.yaml');
    expect(added.change).toBe('added');
    expect(added.rules, r.describe()).toEqual([]);
    expect(added.decision).toBe('manager_approval');
  });
});

describe('check: removals and renames', () => {
  it('reports a deleted manifest as removed, named from the base branch', () => {
    const repo = createSeededRepo();
    const path = 'registry/it/jira-sprint-digest.json';
    const head = openPullRequest(repo, { remove: [path] });
    const r = check(repo.dir, 'main', head);
    expect(r.code, r.describe()).toBe(0);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(report.apps).toHaveLength(1);
    const app = appAt(report, path);
    expect(app).toMatchObject({ app: 'jira-sprint-digest', change: 'removed' });
    expect(app.decision).not.toBe('invalid');
  });

  it('judges a manifest moved to another folder as a removal plus an addition', () => {
    const repo = createSeededRepo();
    const from = 'registry/finance/expense-report-dashboard.yaml';
    const to = 'registry/it/expense-report-dashboard.yaml';
    const head = openPullRequest(repo, { move: [[from, to]] });
    // git itself sees a pure rename:
    expect(repo.git('diff', '--name-status', '-M', 'main', head).trim()).toMatch(/^R100\t/);
    const r = check(repo.dir, 'main', head);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(report.apps.map((a) => [a.path, a.change]).sort()).toEqual([
      [from, 'removed'],
      [to, 'added'],
    ]);
    const added = appAt(report, to);
    expect(added.app).toBe('expense-report-dashboard');
    // The addition is validated like any new app: its owner's folder is registry/finance/.
    expect(added.decision).toBe('invalid');
    expect(added.findings.map((f) => f.code)).toEqual(['app.wrong-folder']);
    expect(added.findings[0]!.message).toContain('Move it to registry/finance/expense-report-dashboard.yaml');
    expect(appAt(report, from).app).toBe('expense-report-dashboard');
  });

  it("judges an app moved to its new owner's folder as an addition that is still a transfer", () => {
    const repo = createSeededRepo();
    const from = 'registry/finance/expense-report-dashboard.yaml';
    const to = 'registry/it/expense-report-dashboard.yaml';
    repo.branch('feature');
    repo.move(from, to);
    repo.write(to, repo.read(to).replace('owner: finance-team@example.com', 'owner: it-platform@example.com'));
    repo.commit('hand the dashboard to IT');
    const r = check(repo.dir, 'main', 'feature');
    const report = expectCheckShape(r.json<CheckReport>());
    const added = appAt(report, to);
    // Judged as added (rule 001 still matches), but the move does not hide the transfer.
    expect(added).toMatchObject({ change: 'added', decision: 'manager_approval', rules: ['guard:owner-transfer', '001'] });
    expect((report.required_approvals ?? []).filter((a) => a.action === 'manager_approval').map((a) => a.reviewers)).toEqual([
      ['@finance-lead-placeholder', '@controller-placeholder'],
      ['@platform-lead-placeholder'],
    ]);
  });

  it('judges a renamed app (new file name and name) as a removal plus an addition', () => {
    const repo = createSeededRepo();
    const from = 'registry/finance/expense-report-dashboard.yaml';
    const to = 'registry/finance/expense-dashboard.yaml';
    repo.branch('feature');
    repo.move(from, to);
    repo.write(to, repo.read(to).replace('name: expense-report-dashboard', 'name: expense-dashboard'));
    repo.commit('rename the app');
    const r = check(repo.dir, 'main', 'feature');
    expect(r.code, r.describe()).toBe(0);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(report.apps.map((a) => [a.app, a.path, a.change]).sort()).toEqual([
      ['expense-dashboard', to, 'added'],
      ['expense-report-dashboard', from, 'removed'],
    ]);
  });
});

describe('check: a branch behind its base', () => {
  const SANDBOX_APP = (name: string) =>
    [
      `name: ${name}`,
      'owner: it-platform@example.com',
      'environment: sandbox',
      'auth: {type: oidc, provider: company-sso, scopes: [openid]}',
      'connectors: [jira_read_only]',
      '',
    ].join('\n');

  it('judges only what the branch changed since it left the base, not what landed on the base meanwhile', () => {
    const repo = createSeededRepo();
    const head = openPullRequest(repo, { write: { 'registry/it/branch-app.yaml': SANDBOX_APP('branch-app') } });
    // Meanwhile the base gets another app and a stricter policy.
    repo.checkout('main');
    repo.write('registry/it/landed-app.yaml', SANDBOX_APP('landed-app'));
    repo.write('policies/approval.yaml', repo.read('policies/approval.yaml').replace(/action: auto_approve/g, 'action: manager_approval'));
    repo.commit('meanwhile on main');
    const r = check(repo.dir, 'main', head);
    const report = expectCheckShape(r.json<CheckReport>());
    // Not "landed-app removed", and no governance change the branch did not make.
    expect(report.apps.map((a) => [a.path, a.change])).toEqual([['registry/it/branch-app.yaml', 'added']]);
    expect(report.governance).toEqual([]);
    // The base as it is now judges: its stricter policy applies.
    expect(appAt(report, 'registry/it/branch-app.yaml').decision).toBe('manager_approval');
  });
});
