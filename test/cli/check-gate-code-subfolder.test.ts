/**
 * The gate's own code is the REPOSITORY's, wherever the registry is: the shipped workflow runs
 * `uses: ./action` (and package.json's scripts) from the top of the pull request's checkout. With
 * the registry in a subfolder (`--root governance/` inside a bigger repository), a change to the
 * repository's action/, package.json or .github/ still needs the governance approvers; it is
 * reported with a leading "/" ("/action/x.js": from the top of the repository).
 */
import { describe, expect, it } from 'vitest';
import { approvalOf, expectCheckShape, type CheckReport } from '../helpers/contract.js';
import { createSeededRepoIn, openPullRequest, useTempRepos } from '../helpers/git-repo.js';
import { check, runCli } from '../helpers/run-cli.js';
import { configuredReviewers } from '../helpers/shipped.js';

useTempRepos();

const withGovernancePaths = (policy: string, list: string) => policy.replace(/^policy:\n/m, `governance_paths: ${list}\n\npolicy:\n`);

describe("check --root <subfolder>: the repository's own gate code needs the governance approvers", () => {
  for (const [what, files, shown] of [
    ["the repository's action/x.js", { 'action/x.js': 'console.log("always pass");\n' }, ['/action/x.js']],
    ["the repository's package.json", { 'package.json': '{ "scripts": { "postinstall": "true" } }\n' }, ['/package.json']],
    [
      "the repository's workflow (.github/workflows/)",
      { '.github/workflows/check.yml': 'on: pull_request\n' },
      ['/.github/workflows/check.yml'],
    ],
  ] as const) {
    it(`a pull request editing ${what} only`, () => {
      const repo = createSeededRepoIn('governance');
      const r = check(repo.path('governance'), 'main', openPullRequest(repo, { write: files }));
      expect(r.code, r.describe()).toBe(0);
      const report = expectCheckShape(r.json<CheckReport>());
      expect(report.decision).toBe('security_team_review');
      expect(report.governance.map((g) => g.path)).toEqual(shown);
      const governance = approvalOf(report.required_approvals, 'governance');
      expect([...governance.reviewers].sort()).toEqual(configuredReviewers('governance').sort());
      expect(governance.reason).toContain('from the top of the repository');
    });
  }

  it("a symlink standing where the repository's action/ should be", () => {
    const repo = createSeededRepoIn('governance', { 'README.md': '# monorepo\n', 'elsewhere/index.js': 'console.log("always pass");\n' });
    repo.symlink('elsewhere', 'action');
    const r = check(repo.path('governance'), 'main', openPullRequest(repo, {}));
    const report = expectCheckShape(r.json<CheckReport>());
    expect(
      report.governance.map((g) => g.path),
      r.describe(),
    ).toEqual(['/action']);
    approvalOf(report.required_approvals, 'governance');
  });

  it("files outside the registry and the governance paths are not judged (nor is the registry folder's own action/)", () => {
    const repo = createSeededRepoIn('governance', { 'README.md': '# monorepo\n', 'services/api/main.go': 'package main\n' });
    const head = openPullRequest(repo, {
      write: {
        'README.md': '# changed\n',
        'services/api/main.go': 'package main // changed\n',
        'services/api/package.json': '{}\n',
        'governance/action/x.js': "not the workflow's ./action\n",
        'governance/package.json': '{}\n',
        'actions/x.js': 'not action/\n',
      },
    });
    const r = check(repo.path('governance'), 'main', head);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(report, r.describe()).toMatchObject({ decision: 'no_changes', governance: [], apps: [] });
  });

  it('the text report names the file from the top of the repository and says so', () => {
    const repo = createSeededRepoIn('governance');
    const head = openPullRequest(repo, { write: { 'action/dist/index.js': 'console.log("always pass");\n' } });
    const r = runCli(['check', '--root', repo.path('governance'), '--base', 'main', '--head', head]);
    expect(r.stdout, r.describe()).toContain('added: /action/dist/index.js');
    expect(r.stdout).toContain('A path starting with "/" is from the top of the repository');
  });

  it("in the working tree too: an uncommitted package.json and an untracked file under the repository's action/", () => {
    const repo = createSeededRepoIn('governance', { 'README.md': '# monorepo\n', 'package.json': '{}\n' });
    repo.write('package.json', '{ "scripts": { "postinstall": "true" } }\n');
    repo.write('action/run.js', 'console.log("always pass");\n');
    repo.write('governance/action/run.js', 'not the gate\n');
    const r = check(repo.path('governance'), 'main');
    const report = expectCheckShape(r.json<CheckReport>());
    expect(
      report.governance.map((g) => g.path),
      r.describe(),
    ).toEqual(['/action/run.js', '/package.json']);
    approvalOf(report.required_approvals, 'governance');
  });

  it("the base policy's own list is from the top of the repository too (and replaces the defaults)", () => {
    const repo = createSeededRepoIn('governance');
    repo.write(
      'governance/policies/approval.yaml',
      withGovernancePaths(repo.read('governance/policies/approval.yaml'), '[tools/gate/, Makefile]'),
    );
    repo.commit('the base names its own gate code');
    const head = openPullRequest(repo, {
      write: {
        'tools/gate/judge.sh': 'exit 0\n',
        Makefile: 'all:\n',
        'governance/tools/gate/judge.sh': "not the repository's\n",
        'src/x.ts': 'export {};\n',
      },
    });
    const report = expectCheckShape(check(repo.path('governance'), 'main', head).json<CheckReport>());
    expect(report.governance.map((g) => g.path)).toEqual(['/Makefile', '/tools/gate/judge.sh']);
    approvalOf(report.required_approvals, 'governance');
  });

  it("a change only on the base (main upgraded the repository's package.json) is not the branch's change; one on both sides, differently, fails closed", () => {
    const repo = createSeededRepoIn('governance', { 'README.md': '# monorepo\n', 'package.json': '{ "name": "mono" }\n' });
    repo.branch('feature');
    repo.checkout('main');
    repo.write('package.json', '{ "name": "mono", "version": "2.0.0" }\n');
    repo.commit('main upgrades');
    expect(expectCheckShape(check(repo.path('governance'), 'main', 'feature').json<CheckReport>())).toMatchObject({
      decision: 'no_changes',
      governance: [],
    });
    repo.checkout('feature');
    repo.write('package.json', '{ "name": "mono", "scripts": { "postinstall": "true" } }\n');
    repo.commit('feature changes it too');
    const r = check(repo.path('governance'), 'main', 'feature');
    const report = expectCheckShape(r.json<CheckReport>());
    expect(report.decision, r.describe()).toBe('invalid');
    expect(report.findings.map((f) => f.path)).toContain('/package.json');
    expect(report.governance.map((g) => g.path)).toEqual(['/package.json']);
  });
});
