/**
 * The App judges a pull request against its base branch's tip at evaluation time, asked of
 * GitHub (GET /repos/{owner}/{repo}/git/ref/heads/{branch}), never against the pull request's
 * recorded base.sha: GitHub sets that when the pull request is opened and moves it only when the
 * head is pushed, so on a review of a branch that is behind it still names the old main (issue 9,
 * section 1). Through the App's real HTTP server with signed deliveries; GitHub mocked by nock from
 * a real temporary registry repository (an unexpected request or an unused mock fails the test).
 */
import { describe, expect, it } from 'vitest';
import { useGitHubMock } from '../adapters/github/mock-github.js';
import { createSeededRepo, openPullRequest, useTempRepos } from '../helpers/git-repo.js';
import { branchBeforePromotion, withJiraConnector } from '../helpers/merge-scenarios.js';
import { fixture } from '../helpers/paths.js';
import { configuredReviewers } from '../helpers/shipped.js';
import { useAppServer } from './app-server.js';
import { expectCheckRuns, type SentCheckRun } from './check-runs.js';
import { examplePayload } from './deliveries.js';
import { FakeGitHubRepo } from '../adapters/github/fake-repo.js';
import { OWNER, REPO, plain, refPath, serveEvaluation, type EvaluationOptions, type ServedPullRequest } from './serve-evaluation.js';

useTempRepos();
const github = useGitHubMock();
const app = useAppServer();

const STANDUP = 'registry/it/standup-notes-bot.yaml';
const SECURITY_TEAM = plain(configuredReviewers('security_team_review')[0]!);

/**
 * A pull request adding the Slack-posting standup bot (auto-approved on main as it was); then main
 * restricts Slack posting. GitHub's pull request still names the old main as its base.
 */
function behindRestrictedSlack(): { pr: ServedPullRequest; tip: string } {
  const repo = createSeededRepo();
  const old = repo.sha('main');
  openPullRequest(repo, { write: { [STANDUP]: fixture('apps/standup-notes-bot.yaml') } });
  repo.checkout('main');
  repo.write(
    'connectors/slack_post_messages.yaml',
    repo.read('connectors/slack_post_messages.yaml').replace('status: preapproved', 'status: restricted'),
  );
  const tip = repo.commit('restrict posting to Slack');
  return { pr: { repo, fake: new FakeGitHubRepo(repo, OWNER, REPO), baseSha: old, headSha: repo.sha('feature') }, tip };
}

/** Serves one evaluation and delivers a submitted review; returns the one check run. */
async function reviewed(pr: ServedPullRequest, options: EvaluationOptions): Promise<SentCheckRun> {
  const followUps = serveEvaluation(github, pr, options);
  const checks = expectCheckRuns(OWNER, REPO);
  const res = await app.deliver('pull_request_review', examplePayload('pull_request_review', 'submitted'));
  expect(res.status, res.body).toBe(200);
  expect(checks.problems).toEqual([]);
  expect(followUps.problems).toEqual([]);
  expect(checks.sent).toHaveLength(1);
  return checks.sent[0]!;
}

describe("app: judged against the base branch as it is now, not the pull request's recorded base", () => {
  it("a review of a branch behind main, whose base.sha is still the old main: judged by main's tip, where Slack posting is restricted (security review needed, no pass)", async () => {
    const { pr, tip } = behindRestrictedSlack();

    const run = await reviewed(pr, { baseTip: tip, behind: true, teams: { [SECURITY_TEAM]: ['security-alice'] } });

    expect(run).toMatchObject({ head_sha: pr.headSha, conclusion: 'failure' });
    expect(run.output!.title).toMatch(/^Waiting for approval: .*security team/);
    expect(run.output!.summary).toContain('security-alice');
    expect(github.requests).toContain(`GET ${refPath()}`);
    // The merge base is taken from main's tip, never from the recorded base.sha.
    expect(github.requests).toContain(`GET ${pr.fake.path(`/compare/${tip}...${pr.headSha}`)}?per_page=1`);
    expect(github.requests.filter((r) => r.includes(`/compare/${pr.baseSha}`))).toEqual([]);
  });

  it("a review of a branch made before main promoted the app it adds a connector to: judged by main's tip (fails closed: update your branch), not the sandbox app of the old base", async () => {
    const repo = branchBeforePromotion(withJiraConnector);
    const old = repo.git('merge-base', 'main', 'feature').trim();
    const pr = { repo, fake: new FakeGitHubRepo(repo, OWNER, REPO), baseSha: old, headSha: repo.sha('feature') };

    const run = await reviewed(pr, { baseTip: repo.sha('main'), behind: true });

    expect(run).toMatchObject({ conclusion: 'failure', output: { title: 'Some files have errors: fix them before approvals can count' } });
    expect(run.output!.text ?? run.output!.summary).toMatch(/Update your branch/);
  });

  it('the base branch is gone (GitHub answers 404 for its ref): the check fails closed, saying so in plain words; nothing else is read or changed', async () => {
    const { pr } = behindRestrictedSlack();
    const followUps = serveEvaluation(github, pr, { baseTip: 'gone' });
    const checks = expectCheckRuns(OWNER, REPO);

    const res = await app.deliver('pull_request_review', examplePayload('pull_request_review', 'submitted'));

    expect(res.status, res.body).toBe(200);
    expect(checks.problems).toEqual([]);
    expect(checks.sent).toHaveLength(1);
    expect(checks.sent[0]).toMatchObject({
      head_sha: pr.headSha,
      conclusion: 'failure',
      output: { title: 'The approval check could not run' },
    });
    expect(checks.sent[0]!.output!.summary).toMatch(/The branch "main" that pull request \\?#2 would merge into no longer exists/);
    expect(checks.sent[0]!.output!.summary).toContain(
      "Change the pull request's base branch to a branch that exists, or restore the branch.",
    );
    expect(followUps.requests).toEqual([]);
  });

  it("the ordinary case: base.sha is main's tip; the ref is read once and the pull request is auto-approved as before", async () => {
    const { pr } = behindRestrictedSlack();
    pr.repo.checkout('main');
    pr.repo.git('reset', '-q', '--hard', pr.baseSha);
    const run = await reviewed(pr, {});

    expect(run).toMatchObject({ head_sha: pr.headSha, conclusion: 'success' });
    expect(github.requests.filter((r) => r === `GET ${refPath()}`)).toHaveLength(1);
  });

  it('a base branch whose name has a slash (release/2026): its ref is asked for by its full name, encoded as one path parameter', async () => {
    const { pr } = behindRestrictedSlack();
    pr.repo.git('branch', '-q', 'release/2026', pr.baseSha);
    const run = await reviewed(pr, { baseRef: 'release/2026' });

    expect(run).toMatchObject({ head_sha: pr.headSha, conclusion: 'success' });
    expect(github.requests).toContain(`GET /repos/${OWNER}/${REPO}/git/ref/heads%2Frelease%2F2026`);
  });
});
