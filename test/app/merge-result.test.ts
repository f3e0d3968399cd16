/**
 * The App judges what merging lands (the base as it is now -> the branch merged onto it), as
 * the CLI and the Action do (src/core/check/merge-listings.ts), and treats the gate's own code
 * (the base policy's governance_paths: action/, package.json, ...) as a governance change.
 * Through the real HTTP server with signed deliveries; GitHub mocked from a real repository.
 */
import { describe, expect, it } from 'vitest';
import { useGitHubMock } from '../adapters/github/mock-github.js';
import { configuredReviewers } from '../helpers/shipped.js';
import { createSeededRepo, openPullRequest, useTempRepos } from '../helpers/git-repo.js';
import {
  branchBeforePromotion,
  branchBehindMain,
  DASHBOARD,
  toGithubLogin,
  updated,
  withJiraConnector,
} from '../helpers/merge-scenarios.js';
import { useAppServer } from './app-server.js';
import { expectCheckRuns } from './check-runs.js';
import { examplePayload } from './deliveries.js';
import {
  OWNER,
  REPO,
  fromRepo,
  plain,
  pullRequestOf,
  serveEvaluation,
  type EvaluationOptions,
  type ServedPullRequest,
} from './serve-evaluation.js';

useTempRepos();
const github = useGitHubMock();
const app = useAppServer();

/** Serves one evaluation of `pr` (and the merge base's listing when the base moved on) and delivers "opened". */
async function evaluate(pr: ServedPullRequest, options: EvaluationOptions = {}) {
  serveEvaluation(github, pr, options);
  const mergeBase = pr.repo.git('merge-base', pr.baseSha, pr.headSha).trim();
  if (mergeBase !== pr.baseSha) {
    pr.fake.serveListing(github, mergeBase);
  }
  const checks = expectCheckRuns(OWNER, REPO);
  const res = await app.deliver('pull_request', examplePayload('pull_request', 'opened'));
  expect(res.status, res.body).toBe(200);
  expect(checks.problems).toEqual([]);
  expect(checks.sent).toHaveLength(1);
  return checks.sent[0]!;
}

describe('app: judged against the base as it is now, merged', () => {
  it('a branch made before the app was promoted edits auth.provider: a failing check naming the path and "update your branch", never a pass', async () => {
    const run = await evaluate(fromRepo(branchBeforePromotion(toGithubLogin)));
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(run.output!.title).toBe('Some files have errors: fix them before approvals can count');
    const text = `${run.output!.summary}\n${run.output!.text ?? ''}`;
    expect(text).toContain(DASHBOARD);
    expect(text).toMatch(/Update your branch/);
  });

  it('once the branch is updated, the edit is judged as the production app it now is: denied (rule 006)', async () => {
    const run = await evaluate(fromRepo(updated(branchBeforePromotion(toGithubLogin))));
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(run.output!.title).toBe('The policy does not allow this change: approvals cannot change that');
  });

  it('a connector added to a now-production app by a branch made before the promotion: fails closed, never a pass', async () => {
    const run = await evaluate(fromRepo(branchBeforePromotion(withJiraConnector)));
    expect(run).toMatchObject({ conclusion: 'failure', output: { title: 'Some files have errors: fix them before approvals can count' } });
    expect(run.output!.text ?? run.output!.summary).toMatch(/Update your branch/);
  });

  it('the same connector once the branch is updated: judged as production, waiting for approval', async () => {
    const run = await evaluate(fromRepo(updated(branchBeforePromotion(withJiraConnector))));
    expect(run.conclusion).toBe('failure');
    expect(run.output!.title).toMatch(/^Waiting for approval: /);
  });

  it('a branch merely behind main is not blamed for what landed there: only its own app is judged, and it passes', async () => {
    const repo = branchBehindMain();
    const run = await evaluate(fromRepo(repo));
    expect(`${run.output!.summary}\n${run.output!.text ?? ''}`).not.toContain('expense-report-dashboard');
    expect(run).toMatchObject({ conclusion: 'success', output: { title: 'No approval needed' } });
  });
});

describe("app: the gate's own code needs the governance approvers", () => {
  const GOVERNANCE_TEAM = Object.fromEntries(configuredReviewers('governance').map((team) => [plain(team), ['governor-gail']]));

  for (const [what, write] of [
    ['action/ (the code the shipped workflow runs)', { 'action/dist/index.js': 'console.log("always pass");\n' }],
    ['package.json', { 'package.json': '{ "scripts": { "postinstall": "true" } }\n' }],
  ] as const) {
    it(`a pull request editing only ${what}: waiting for the governance approval`, async () => {
      const run = await evaluate(pullRequestOf(write), { teams: GOVERNANCE_TEAM });
      expect(run.conclusion).toBe('failure');
      expect(run.output!.title).toMatch(/^Waiting for approval: .*governance/i);
    });
  }

  it("the head's governance_paths is ignored: a pull request cannot take its own gate code off the list", async () => {
    const repo = createSeededRepo();
    openPullRequest(repo, {
      write: {
        'package.json': '{ "scripts": { "postinstall": "true" } }\n',
        'policies/approval.yaml': repo.read('policies/approval.yaml').replace(/^policy:\n/m, 'governance_paths: [elsewhere/]\n\npolicy:\n'),
      },
    });
    const run = await evaluate(fromRepo(repo), { teams: GOVERNANCE_TEAM });
    expect(run.conclusion).toBe('failure');
    expect(`${run.output!.summary}\n${run.output!.text ?? ''}`).toContain('package.json');
  });
});
