/**
 * The Action in the situations a workflow meets besides a plain pull request: a pull request
 * that edits the policy (the base branch's policy judges), a checkout without the base commit
 * (actions/checkout's default depth of 1), a registry in a subfolder of the workspace, bad
 * inputs or payloads, and push / workflow_dispatch events (the whole registry is validated).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectActionOutputs, expectNoCrash, failureMessages, fileAnnotations, plainSummary } from '../helpers/action-contract.js';
import { appAt, approvalOf } from '../helpers/contract.js';
import {
  GitRepo,
  createSeededRepo,
  createSeededRepoIn,
  isolatedEnv,
  makeTempDir,
  openPullRequest,
  useTempRepos,
} from '../helpers/git-repo.js';
import { fixture } from '../helpers/paths.js';
import { runAction, runPullRequest } from '../helpers/run-action.js';
import { configuredReviewers } from '../helpers/shipped.js';
import { ALL_SCOPES_CODE } from '../../src/core/check/connector-hints.js';

useTempRepos();

const HR_APP = 'registry/finance/headcount-cost-report.yaml';
/** Line 9:5 names an unknown connector (jira_read_onyl), line 10:1 has data_type: for data_types. */
const TYPO_APP = fixture('apps/malformed/typo-app-and-unknown-connector.yaml');

describe("action: a pull request that edits the policy is judged by the base branch's policy", () => {
  it('rewriting policies/approval.yaml to approve everything does not auto-approve; governance approvers are required', () => {
    const r = runPullRequest({
      write: {
        'policies/approval.yaml': fixture('policies/approve-everything.yaml'),
        [HR_APP]: fixture('apps/headcount-cost-report.yaml'),
      },
    });
    expect(r.code, r.describe()).toBe(0);
    const report = expectActionOutputs(r);
    expect(r.outputs.decision, "the PR's own policy would say auto_approve").toBe('security_team_review');
    const app = appAt(report, HR_APP);
    expect(app.rules, 'the base policy\'s rules matched, not the PR\'s "approve_everything"').toEqual(['002', '003']);
    expect(report.governance).toEqual([{ path: 'policies/approval.yaml', change: 'modified' }]);

    const approvals = JSON.parse(r.outputs['required-approvals']!);
    const governance = approvalOf(approvals, 'governance');
    expect([...governance.reviewers].sort()).toEqual(configuredReviewers('governance').sort());

    expect(r.summary).toContain('### Governance changes');
    expect(r.summary).toContain('`policies/approval.yaml`');
    const plain = plainSummary(r.summary);
    for (const who of configuredReviewers('governance')) expect(plain, `the summary names ${who}`).toContain(who);
    expect(plain).toContain(governance.reason);
    expect(r.summary).not.toMatch(/^## ✅/);
  });

  it('a PR that only edits the owner directory needs the governance approvers and is not auto-approved', () => {
    const repo = createSeededRepo();
    const base = repo.sha();
    openPullRequest(repo, { write: { 'policies/owners.yaml': `${repo.read('policies/owners.yaml')}\n# a comment\n` } });
    const r = runAction({ repoDir: repo.dir, event: 'pull_request', base, head: repo.sha() });
    expect(r.code, r.describe()).toBe(0);
    const report = expectActionOutputs(r);
    expect(report.governance).toEqual([{ path: 'policies/owners.yaml', change: 'modified' }]);
    expect(r.outputs.decision).not.toBe('auto_approve');
    expect(r.outputs.decision).not.toBe('no_changes');
    approvalOf(JSON.parse(r.outputs['required-approvals']!), 'governance');
  });
});

describe('action: the checkout lacks a commit of the pull request', () => {
  const expectFetchDepthMessage = (r: ReturnType<typeof runAction>, which: 'base' | 'head', sha: string) => {
    expect(r.code, r.describe()).toBe(1);
    expectNoCrash(r);
    const failures = failureMessages(r);
    expect(failures, r.describe()).toHaveLength(1);
    expect(failures[0]).toContain('fetch-depth: 0');
    expect(failures[0]).toContain(`${which} commit`);
    expect(failures[0]).toContain(sha);
    expect(r.outputs.decision, 'no decision is made without the commits').toBeUndefined();
  };

  it('a base SHA that is not in the repository: exit 1, a message naming "fetch-depth: 0"', () => {
    const repo = createSeededRepo();
    openPullRequest(repo, { write: { 'registry/it/standup-notes-bot.yaml': fixture('apps/standup-notes-bot.yaml') } });
    const missing = '0123456789abcdef0123456789abcdef01234567';
    const r = runAction({ repoDir: repo.dir, event: 'pull_request', base: missing, head: repo.sha() });
    expectFetchDepthMessage(r, 'base', missing);
  });

  it('a head SHA that is not in the repository names the head commit', () => {
    const repo = createSeededRepo();
    const base = repo.sha();
    const missing = 'fedcba9876543210fedcba9876543210fedcba98';
    const r = runAction({ repoDir: repo.dir, event: 'pull_request', base, head: missing });
    expectFetchDepthMessage(r, 'head', missing);
  });

  it("a shallow clone (actions/checkout's default depth 1) of the head: the base commit is missing", () => {
    const origin = createSeededRepo();
    const base = origin.sha();
    openPullRequest(origin, { write: { 'registry/it/standup-notes-bot.yaml': fixture('apps/standup-notes-bot.yaml') } });
    const head = origin.sha();
    const workspace = new GitRepo(join(makeTempDir('microapps-shallow-'), 'ws'));
    execFileSync('git', ['clone', '-q', '--depth', '1', '--branch', 'feature', `file://${origin.dir}`, workspace.dir], {
      env: isolatedEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(workspace.git('rev-parse', '--is-shallow-repository').trim()).toBe('true');
    expect(workspace.sha()).toBe(head);
    const r = runAction({ repoDir: workspace.dir, event: 'pull_request', base, head });
    expectFetchDepthMessage(r, 'base', base);
  });

  it('a pull_request payload without valid SHAs fails with a message, not a crash', () => {
    const repo = createSeededRepo();
    const base = repo.sha();
    const r = runAction({
      repoDir: repo.dir,
      event: 'pull_request',
      base,
      head: base,
      editPayload: (p) => {
        delete p.pull_request.head.sha;
      },
    });
    expect(r.code, r.describe()).toBe(1);
    expectNoCrash(r);
    expect(failureMessages(r).join('\n')).toMatch(/base\.sha and head\.sha/);
  });
});

describe('action: the root input (a registry in a subfolder of the workspace)', () => {
  /** A workspace whose registry lives in `governance/`, next to unrelated files. */
  function subfolderRepo(): { repo: GitRepo; base: string } {
    const repo = createSeededRepoIn('governance', { 'README.md': '# monorepo\n', 'src/app.ts': 'export {};\n' });
    return { repo, base: repo.sha() };
  }

  // The gate's own code is the repository's (the workflow runs `uses: ./action` from the top of
  // the checkout), not the registry folder's: reported with a leading "/".
  for (const [what, change, shown] of [
    ["the repository's action/x.js", (repo: GitRepo) => repo.write('action/x.js', 'console.log("always pass");\n'), '/action/x.js'],
    [
      "the repository's package.json",
      (repo: GitRepo) => repo.write('package.json', '{ "scripts": { "postinstall": "true" } }\n'),
      '/package.json',
    ],
    [
      "a link standing where the repository's action/ should be",
      (repo: GitRepo) => repo.write('elsewhere/index.js', '\n').symlink('elsewhere', 'action'),
      '/action',
    ],
  ] as const) {
    it(`a pull request that changes ${what} needs the governance approvers`, () => {
      const { repo, base } = subfolderRepo();
      repo.branch('feature');
      change(repo);
      const head = repo.commit("the gate's code");
      const r = runAction({ repoDir: repo.dir, event: 'pull_request', base, head, inputs: { root: 'governance' } });
      expect(r.code, r.describe()).toBe(0);
      const report = expectActionOutputs(r);
      expect(r.outputs.decision).toBe('security_team_review');
      expect(report.governance.map((g) => g.path)).toEqual([shown]);
      expect([...approvalOf(report.required_approvals, 'governance').reviewers].sort()).toEqual(configuredReviewers('governance').sort());
      expect(r.summary).toContain(shown);
      expect(r.summary).toContain('A path starting with "/" is from the top of the repository');
    });
  }

  it("a file outside the registry and the governance paths is not judged, nor is the registry folder's own action/", () => {
    const { repo, base } = subfolderRepo();
    openPullRequest(repo, {
      write: { 'README.md': '# changed\n', 'governance/action/x.js': '\n', 'governance/package.json': '{}\n', 'docs/x.md': '\n' },
    });
    const r = runAction({ repoDir: repo.dir, event: 'pull_request', base, head: repo.sha(), inputs: { root: 'governance' } });
    expect(r.code, r.describe()).toBe(0);
    expect(expectActionOutputs(r)).toMatchObject({ decision: 'no_changes', governance: [], apps: [] });
  });

  it("a conflict on the repository's package.json is annotated at that file from the top of the workspace", () => {
    const repo = createSeededRepoIn('governance', { 'README.md': '# monorepo\n', 'package.json': '{ "name": "mono" }\n' });
    repo.branch('feature');
    repo.write('package.json', '{ "name": "mono", "scripts": { "postinstall": "true" } }\n');
    const head = repo.commit('the branch changes package.json');
    repo.checkout('main');
    repo.write('package.json', '{ "name": "mono", "version": "2.0.0" }\n');
    const base = repo.commit('main changes it too');
    const r = runAction({ repoDir: repo.dir, event: 'pull_request', base, head, inputs: { root: 'governance' } });
    expect(r.code, r.describe()).toBe(1);
    expect(expectActionOutputs(r).decision).toBe('invalid');
    expect(fileAnnotations(r, 'error').map((e) => e.properties.file)).toContain('package.json');
  });

  it('annotations point at the file from the workspace root; the report stays relative to the registry', () => {
    const { repo, base } = subfolderRepo();
    openPullRequest(repo, { write: { 'governance/registry/it/typo-app.yaml': TYPO_APP } });
    const r = runAction({ repoDir: repo.dir, event: 'pull_request', base, head: repo.sha(), inputs: { root: 'governance' } });
    expect(r.code, r.describe()).toBe(1);
    const report = expectActionOutputs(r);
    expect(r.outputs.decision).toBe('invalid');
    expect(report.apps.map((a) => a.path)).toEqual(['registry/it/typo-app.yaml']);

    const errors = fileAnnotations(r, 'error');
    expect(errors.length, r.describe()).toBeGreaterThanOrEqual(2);
    for (const e of errors) expect(e.properties.file).toBe('governance/registry/it/typo-app.yaml');
    expect(errors.map((e) => `${e.properties.line}:${e.properties.col}`).sort()).toEqual(['10:1', '9:5']);
  });

  it('a subfolder registry judges its own pull request like one at the top (review notices prefixed with the folder)', () => {
    const { repo, base } = subfolderRepo();
    openPullRequest(repo, {
      write: {
        'governance/registry/it/standup-notes-bot.yaml': fixture('apps/standup-notes-bot.yaml'),
        'governance/registry/hr/team-anniversaries.yaml': fixture('apps/team-anniversaries.yaml'),
      },
    });
    const r = runAction({ repoDir: repo.dir, event: 'pull_request', base, head: repo.sha(), inputs: { root: './governance/' } });
    expect(r.code, r.describe()).toBe(0);
    expectActionOutputs(r);
    expect(r.outputs.decision).toBe('security_team_review');
    const notices = fileAnnotations(r, 'notice');
    expect([
      ...new Set(notices.filter((n) => n.properties.title !== `microapps: ${ALL_SCOPES_CODE}`).map((n) => n.properties.file)),
    ]).toEqual(['governance/registry/hr/team-anniversaries.yaml']);
    // The advice on the connector listed by its bare id is prefixed with the folder too.
    expect(
      notices.filter((n) => n.properties.title === `microapps: ${ALL_SCOPES_CODE}`).map((n) => [n.properties.file, n.properties.line]),
    ).toEqual([['governance/registry/it/standup-notes-bot.yaml', '13']]);
  });

  it('a root outside the workspace is refused with a message naming the input', () => {
    const repo = createSeededRepo();
    const base = repo.sha();
    const r = runAction({ repoDir: repo.dir, event: 'pull_request', base, head: base, inputs: { root: '../elsewhere' } });
    expect(r.code, r.describe()).toBe(1);
    expectNoCrash(r);
    expect(failureMessages(r).join('\n')).toContain('"root"');
  });

  it('an unknown word in fail-on is refused with a message naming the input and the choices', () => {
    const repo = createSeededRepo();
    const base = repo.sha();
    const r = runAction({ repoDir: repo.dir, event: 'pull_request', base, head: base, inputs: { 'fail-on': 'invalid,denied' } });
    expect(r.code, r.describe()).toBe(1);
    expectNoCrash(r);
    const message = failureMessages(r).join('\n');
    expect(message).toContain('"fail-on"');
    expect(message).toContain('denied');
    expect(message).toContain('security_team_review');
  });
});

describe('action: outside a pull request (push, workflow_dispatch) the whole registry is validated', () => {
  for (const event of ['push', 'workflow_dispatch'] as const) {
    it(`${event}: a valid registry gives no_changes, exit 0, and says the whole registry was validated`, () => {
      const repo = createSeededRepo();
      const r = runAction({ repoDir: repo.dir, event, base: repo.sha(), head: repo.sha() });
      expect(r.payload.pull_request, 'the payload has no pull_request').toBeUndefined();
      expect(r.code, r.describe()).toBe(0);
      const report = expectActionOutputs(r);
      expect(r.outputs.decision).toBe('no_changes');
      expect(report.apps).toEqual([]);
      expect(r.annotations('error')).toEqual([]);
      expect(r.summary).toMatch(/Validated the whole registry \(\d+ files\): every file is valid\./);
    });

    it(`${event}: an invalid file anywhere in the checked-out registry fails the step with annotations`, () => {
      const repo = createSeededRepo();
      const before = repo.sha();
      repo.write('registry/it/typo-app.yaml', TYPO_APP);
      const after = repo.commit('an invalid app pushed to main');
      const r = runAction({ repoDir: repo.dir, event, base: before, head: after });
      expect(r.code, r.describe()).toBe(1);
      const report = expectActionOutputs(r);
      expect(r.outputs.decision).toBe('invalid');
      expect(report.apps, 'no diff is judged outside a pull request').toEqual([]);
      const errors = fileAnnotations(r, 'error');
      expect(errors.map((e) => `${e.properties.file}:${e.properties.line}:${e.properties.col}`).sort()).toEqual([
        'registry/it/typo-app.yaml:10:1',
        'registry/it/typo-app.yaml:9:5',
      ]);
      expect(failureMessages(r)).toHaveLength(1);
      expect(r.summary).toContain('some files have errors');
      expect(r.summary).toContain('`registry/it/typo-app.yaml:9:5`');
    });
  }
});
