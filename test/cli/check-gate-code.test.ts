/**
 * The gate's own code is governed: the shipped workflow runs `uses: ./action` from the pull
 * request's checkout, so a change to action/, src/, bin/, scripts/, package.json or
 * package-lock.json changes the check that judges it and needs the governance approvers. The
 * list is the base policy's `governance_paths:`; the head's copy does not count.
 */
import { describe, expect, it } from 'vitest';
import { approvalOf, expectCheckShape, type CheckReport } from '../helpers/contract.js';
import { createSeededRepo, openPullRequest, useTempRepos } from '../helpers/git-repo.js';
import { check } from '../helpers/run-cli.js';
import { configuredReviewers } from '../helpers/shipped.js';

useTempRepos();

const withGovernancePaths = (policy: string, list: string) => policy.replace(/^policy:\n/m, `governance_paths: ${list}\n\npolicy:\n`);

describe("check: a change to the gate's own code needs the governance approvers", () => {
  for (const [what, files] of [
    ['action/', { 'action/dist/index.js': 'console.log("always pass");\n' }],
    ['package.json', { 'package.json': '{ "name": "registry", "scripts": {} }\n' }],
    [
      'package-lock.json, src/, bin/ and scripts/',
      { 'package-lock.json': '{}\n', 'src/x.ts': 'export {};\n', 'bin/m.js': '\n', 'scripts/s.mjs': '\n' },
    ],
  ] as const) {
    it(`a pull request editing ${what} only`, () => {
      const repo = createSeededRepo();
      const r = check(repo.dir, 'main', openPullRequest(repo, { write: files }));
      expect(r.code, r.describe()).toBe(0);
      const report = expectCheckShape(r.json<CheckReport>());
      expect(report.decision).toBe('security_team_review');
      expect(report.governance.map((g) => g.path).sort()).toEqual(Object.keys(files).sort());
      const governance = approvalOf(report.required_approvals, 'governance');
      expect([...governance.reviewers].sort()).toEqual(configuredReviewers('governance').sort());
    });
  }

  it('a symlink standing where action/ should be (and files outside every governed path, not judged at all)', () => {
    const repo = createSeededRepo();
    repo.write('elsewhere/index.js', 'console.log("always pass");\n');
    repo.write('README.md', '# not governed\n');
    repo.symlink('elsewhere', 'action');
    const r = check(repo.dir, 'main', openPullRequest(repo, {}));
    const report = expectCheckShape(r.json<CheckReport>());
    expect(
      report.governance.map((g) => g.path),
      r.describe(),
    ).toEqual(['action']);
    approvalOf(report.required_approvals, 'governance');
  });

  it('in the working tree too: an uncommitted package.json and an untracked file under a custom governance folder', () => {
    const repo = createSeededRepo();
    repo.write('policies/approval.yaml', withGovernancePaths(repo.read('policies/approval.yaml'), '[package.json, "tools/gate/"]'));
    repo.commit('the base names its own gate code');
    repo.write('package.json', '{ "scripts": { "postinstall": "true" } }\n');
    repo.write('tools/gate/run.sh', 'exit 0\n');
    repo.write('tools/other.sh', 'not listed\n');
    const r = check(repo.dir, 'main');
    const report = expectCheckShape(r.json<CheckReport>());
    expect(
      report.governance.map((g) => g.path),
      r.describe(),
    ).toEqual(['package.json', 'tools/gate/run.sh']);
    approvalOf(report.required_approvals, 'governance');
  });

  it('a custom list in the base policy is honoured (and replaces the defaults)', () => {
    const repo = createSeededRepo();
    repo.write('policies/approval.yaml', withGovernancePaths(repo.read('policies/approval.yaml'), '[tools/, Makefile]'));
    repo.commit('the base names its own gate code');
    const r = check(
      repo.dir,
      'main',
      openPullRequest(repo, { write: { 'tools/judge.sh': 'exit 0\n', Makefile: 'all:\n', 'src/x.ts': 'export {};\n' } }),
    );
    const report = expectCheckShape(r.json<CheckReport>());
    expect(
      report.governance.map((g) => g.path),
      r.describe(),
    ).toEqual(['Makefile', 'tools/judge.sh']);
    approvalOf(report.required_approvals, 'governance');
  });

  it('a list in the head policy is not: the pull request cannot empty the list that judges it', () => {
    const repo = createSeededRepo();
    const head = openPullRequest(repo, {
      write: {
        'policies/approval.yaml': withGovernancePaths(repo.read('policies/approval.yaml'), '[nothing-here/]'),
        'action/dist/index.js': 'console.log("always pass");\n',
      },
    });
    const report = expectCheckShape(check(repo.dir, 'main', head).json<CheckReport>());
    expect(report.governance.map((g) => g.path)).toEqual(['action/dist/index.js', 'policies/approval.yaml']);
  });

  it("a file changed only on the base (main upgraded its package.json) is not the branch's change", () => {
    const repo = createSeededRepo();
    repo.write('package.json', '{ "name": "registry" }\n');
    repo.commit('package.json');
    repo.branch('feature');
    repo.checkout('main');
    repo.write('package.json', '{ "name": "registry", "version": "2.0.0" }\n');
    repo.commit('main upgrades');
    const report = expectCheckShape(check(repo.dir, 'main', 'feature').json<CheckReport>());
    expect(report).toMatchObject({ decision: 'no_changes', governance: [] });
  });
});
