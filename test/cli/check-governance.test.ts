/**
 * The base branch judges (DESIGN.md section 8, invariants 1, 2, 5): a pull request that edits
 * the policy or the connectors is still judged by the base branch's copies, and needs the
 * governance approvers; audit/ and generated/ are off limits; symbolic links are refused.
 */
import { describe, expect, it } from 'vitest';
import { allFindings, appAt, approvalOf, expectCheckShape, type CheckReport } from '../helpers/contract.js';
import { createSeededRepo, openPullRequest, useTempRepos } from '../helpers/git-repo.js';
import { fixture } from '../helpers/paths.js';
import { check } from '../helpers/run-cli.js';
import { configuredReviewers } from '../helpers/shipped.js';

useTempRepos();

const HR_APP = 'registry/finance/headcount-cost-report.yaml';

describe("check: the base branch's policy and connectors judge a pull request", () => {
  it('a PR that rewrites policies/approval.yaml to approve everything is still judged by the base policy', () => {
    const repo = createSeededRepo();
    const head = openPullRequest(repo, {
      write: {
        'policies/approval.yaml': fixture('policies/approve-everything.yaml'),
        [HR_APP]: fixture('apps/headcount-cost-report.yaml'),
      },
    });
    const r = check(repo.dir, 'main', head);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(r.code, r.describe()).toBe(0);

    const app = appAt(report, HR_APP);
    expect(app.decision, r.describe()).not.toBe('auto_approve');
    expect(app.rules, 'the PR\'s rule "001 approve_everything" must not be what matched').toEqual(['002', '003']);
    expect(app.decision).toBe('security_team_review');
    approvalOf(app.required_approvals, 'manager_approval');
    expect(report.decision).toBe('security_team_review');

    expect(report.governance).toEqual([{ path: 'policies/approval.yaml', change: 'modified' }]);
    const governance = approvalOf(report.required_approvals, 'governance');
    expect([...governance.reviewers].sort()).toEqual(configuredReviewers('governance').sort());
  });

  it("a PR that drops hr_api_read's pii classification is judged by the base catalog", () => {
    const repo = createSeededRepo();
    const connector = repo.read('connectors/hr_api_read.yaml');
    const weakened = connector.replace(/^data_classification:.*\n/m, '');
    expect(weakened).not.toEqual(connector);
    const head = openPullRequest(repo, {
      write: { 'connectors/hr_api_read.yaml': weakened, [HR_APP]: fixture('apps/headcount-cost-report.yaml') },
    });
    const r = check(repo.dir, 'main', head);
    expect(r.code, r.describe()).toBe(0);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(appAt(report, HR_APP).rules, r.describe()).toEqual(['002', '003']);
    expect(report.governance).toEqual([{ path: 'connectors/hr_api_read.yaml', change: 'modified' }]);
    approvalOf(report.required_approvals, 'governance');
  });

  it('a PR that un-blocks personal_dropbox and uses it is still denied', () => {
    const repo = createSeededRepo();
    const connector = repo.read('connectors/personal_dropbox.yaml');
    const unblocked = connector.replace(/^status: blocked$/m, 'status: preapproved');
    expect(unblocked).not.toEqual(connector);
    const app = 'registry/marketing/file-dropper.yaml';
    const head = openPullRequest(repo, {
      write: { 'connectors/personal_dropbox.yaml': unblocked, [app]: fixture('apps/file-dropper.yaml') },
    });
    const r = check(repo.dir, 'main', head);
    expect(r.code, r.describe()).toBe(1);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(report.decision).toBe('deny');
    expect(appAt(report, app).decision).toBe('deny');
    expect(appAt(report, app).rules).toContain('guard:blocked-connector');
  });

  it('an app using a connector the same PR adds needs security review (not in the base catalog)', () => {
    const repo = createSeededRepo();
    const connector = [
      'connector_id: wiki_pages_read',
      'description: Read pages of the internal wiki.',
      'allowed_scopes: [pages:read]',
      'operations: [read]',
      'rate_limit: "1000/hour"',
      'owner: it-platform@example.com',
      'rotation_days: 90',
      'status: preapproved',
      '',
    ].join('\n');
    const appPath = 'registry/it/wiki-digest.yaml';
    const app = fixture('apps/standup-notes-bot.yaml')
      .replace('name: standup-notes-bot', 'name: wiki-digest')
      .replace(/connectors:\n(?: {2}.*\n)+/, 'connectors:\n  - wiki_pages_read\n');
    expect(app).toContain('  - wiki_pages_read\nlogging:');
    const head = openPullRequest(repo, { write: { 'connectors/wiki_pages_read.yaml': connector, [appPath]: app } });
    const r = check(repo.dir, 'main', head);
    expect(r.code, r.describe()).toBe(0);
    const report = expectCheckShape(r.json<CheckReport>());
    const judged = appAt(report, appPath);
    expect(judged.rules, r.describe()).toContain('guard:unknown-connector');
    expect(judged.rules).not.toContain('001');
    expect(judged.decision).toBe('security_team_review');
    expect(report.governance).toEqual([{ path: 'connectors/wiki_pages_read.yaml', change: 'added' }]);
    approvalOf(report.required_approvals, 'governance');
  });

  it('a PR that only edits policies/owners.yaml needs the governance approvers and is not auto-approved', () => {
    const repo = createSeededRepo();
    const owners = repo.read('policies/owners.yaml').replace('finance-lead-placeholder', 'someone-else');
    const head = openPullRequest(repo, { write: { 'policies/owners.yaml': owners } });
    const r = check(repo.dir, 'main', head);
    expect(r.code, r.describe()).toBe(0);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(report.apps).toEqual([]);
    expect(report.governance).toEqual([{ path: 'policies/owners.yaml', change: 'modified' }]);
    expect(['no_changes', 'auto_approve']).not.toContain(report.decision);
    approvalOf(report.required_approvals, 'governance');
  });
});

describe('check: paths no pull request may use', () => {
  it("a PR that breaks the App's configuration is invalid, and needs the governance approvers", () => {
    const repo = createSeededRepo();
    const head = openPullRequest(repo, { write: { '.github/microapps.yml': 'approve_auto_approved: yes please\n' } });
    const r = check(repo.dir, 'main', head);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(r.code, r.describe()).toBe(1);
    expect(report.decision).toBe('invalid');
    expect(report.governance).toEqual([{ path: '.github/microapps.yml', change: 'added' }]);
    expect(allFindings(report).find((f) => f.path === '.github/microapps.yml')).toMatchObject({ code: 'schema.type', line: 1, column: 24 });
  });

  it('denies a PR that changes a file under audit/, exit 1', () => {
    const repo = createSeededRepo();
    repo.write('audit/entries/000001.json', '{"seq":1,"event":"app.added"}\n');
    repo.commit('an audit entry written by the merge job');
    const head = openPullRequest(repo, { write: { 'audit/entries/000001.json': '{"seq":1,"event":"tampered"}\n' } });
    const r = check(repo.dir, 'main', head);
    expect(r.code, r.describe()).toBe(1);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(report.decision).toBe('deny');
    expect(
      allFindings(report).some((f) => f.path === 'audit/entries/000001.json' && f.severity === 'error'),
      r.describe(),
    ).toBe(true);
  });

  it('denies a PR that adds a file under audit/, even next to an auto-approvable app', () => {
    const repo = createSeededRepo();
    const head = openPullRequest(repo, {
      write: {
        'audit/entries/000099.json': '{"seq":99}\n',
        'registry/it/standup-notes-bot.yaml': fixture('apps/standup-notes-bot.yaml'),
      },
    });
    const r = check(repo.dir, 'main', head);
    expect(r.code, r.describe()).toBe(1);
    expect(expectCheckShape(r.json<CheckReport>()).decision).toBe('deny');
  });

  it('denies a PR that adds, changes or removes a file under generated/, like audit/', () => {
    const repo = createSeededRepo();
    repo.write('generated/gateway/kong.yaml', '_format_version: "3.0"\nconsumers: []\n');
    repo.write('generated/gateway/old.yaml', '_format_version: "3.0"\n');
    repo.commit('rendered by the merge job');
    const head = openPullRequest(repo, {
      write: {
        'generated/gateway/kong.yaml': '_format_version: "3.0"\nconsumers:\n  - username: sneaky-app\n',
        'generated/gateway/extra.yaml': 'services: []\n',
        'registry/it/standup-notes-bot.yaml': fixture('apps/standup-notes-bot.yaml'),
      },
      remove: ['generated/gateway/old.yaml'],
    });
    const r = check(repo.dir, 'main', head);
    expect(r.code, r.describe()).toBe(1);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(report.decision).toBe('deny');
    const denied = allFindings(report).filter((f) => f.code === 'generated.modified');
    expect(
      denied.map((f) => f.path),
      r.describe(),
    ).toEqual(['generated/gateway/extra.yaml', 'generated/gateway/kong.yaml', 'generated/gateway/old.yaml']);
    for (const f of denied) expect(f).toMatchObject({ severity: 'error', line: 1, column: 1 });
    expect(denied[0]!.message).toContain('merge job');
    // Not a governance change (it is refused outright), and the app beside it is still judged.
    expect(report.governance).toEqual([]);
    expect(appAt(report, 'registry/it/standup-notes-bot.yaml').decision).toBe('auto_approve');
  });

  it('refuses a symbolic link committed under registry/ (tree.symlink), exit 1', () => {
    const repo = createSeededRepo();
    repo.branch('feature');
    repo.symlink('../finance/expense-report-dashboard.yaml', 'registry/it/linked-app.yaml');
    repo.commit('add a symlink');
    expect(repo.git('ls-tree', 'feature', 'registry/it/linked-app.yaml')).toMatch(/^120000 /);
    const r = check(repo.dir, 'main', 'feature');
    expect(r.code, r.describe()).toBe(1);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(report.decision).toBe('invalid');
    const f = allFindings(report).find((x) => x.code === 'tree.symlink');
    expect(f, r.describe()).toMatchObject({ severity: 'error', path: 'registry/it/linked-app.yaml' });
  });
});
