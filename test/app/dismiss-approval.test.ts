/**
 * The App's own approving review (approve_auto_approved) stands only while the App would give it
 * now (issue 9, section 1): a push that makes the pull request need a person's approval gets the
 * App's still-standing approvals dismissed, with a message in plain words; nobody else's review
 * is touched, a dismissed one is not dismissed again, and nothing is dismissed while the change
 * is still auto-approved. Through the real HTTP front with signed deliveries; GitHub mocked by
 * nock and every request checked against GitHub's OpenAPI description.
 * (Judging again when main moves: test/app/rejudge.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { useGitHubMock } from '../adapters/github/mock-github.js';
import { useTempRepos } from '../helpers/git-repo.js';
import { fixture } from '../helpers/paths.js';
import { managerReviewers } from '../helpers/shipped.js';
import { useAppServer } from './app-server.js';
import { expectCheckRuns, type SentCheckRun } from './check-runs.js';
import { examplePayload } from './deliveries.js';
import { APP_SLUG, BOT_LOGIN, type FollowUpOptions, type FollowUps } from './follow-ups.js';
import { review } from './github-bodies.js';
import { commitBy, push } from './scenario-github.js';
import { AUTHOR, NUMBER, OWNER, plain, pullRequestOf, REPO, serveEvaluation, type ServedPullRequest } from './serve-evaluation.js';

useTempRepos();
const github = useGitHubMock();
const app = useAppServer({ logs: true });

const STANDUP = 'registry/it/standup-notes-bot.yaml';
const STANDUP_APP = fixture('apps/standup-notes-bot.yaml');
/** Asking for more than the basic sign-in scopes: rule 001 no longer matches, the default (manager approval) applies. */
const MORE_SCOPES = STANDUP_APP.replace('scopes: [openid, profile, email]', 'scopes: [openid, profile, email, offline_access]');
const MANAGER = plain(managerReviewers('it-platform@example.com')[0]!);
const ON = 'approve_auto_approved: true\n';
const DISMISSED_BECAUSE =
  /^The registry policy no longer auto-approves this change: it now needs approval \(waiting for approval: owner's manager\)\. /;

type Review = ReturnType<typeof review>;
const ours = (id: number, commitId: string, state: Review['state'] = 'APPROVED') => review({ id, login: BOT_LOGIN, state, commitId });

/**
 * An auto-approved sandbox app (the first commit, which the App approved), then a push on top:
 * `second` (default: more sign-in scopes, needing the manager's approval).
 */
function pushedPullRequest(second = MORE_SCOPES): { first: ServedPullRequest; pr: ServedPullRequest } {
  const first = pullRequestOf({ [STANDUP]: STANDUP_APP });
  return { first, pr: push(first, { write: { [STANDUP]: second } }) };
}

/** The synchronize delivery for the push, with `reviews` standing on the pull request. */
async function synchronize(
  { first, pr }: { first: ServedPullRequest; pr: ServedPullRequest },
  reviews: Review[],
  options: { config?: string; followUps?: FollowUpOptions } = {},
): Promise<{ run: SentCheckRun; done: FollowUps; status: number }> {
  const done = serveEvaluation(github, pr, {
    config: options.config ?? ON,
    reviews,
    commits: [commitBy(first.headSha, AUTHOR), commitBy(pr.headSha, AUTHOR)],
    followUps: options.followUps,
  });
  // An approval on the first commit: its tree is read for its fingerprint.
  if (reviews.some((r) => r.state === 'APPROVED' && r.commit_id === first.headSha)) pr.fake.serveListing(github, first.headSha);
  const checks = expectCheckRuns(OWNER, REPO);
  const res = await app.deliver('pull_request', examplePayload('pull_request', 'synchronize'));
  expect(checks.problems).toEqual([]);
  expect(checks.sent).toHaveLength(1);
  return { run: checks.sent[0]!, done, status: res.status };
}

const dismissalRequests = (done: FollowUps) => done.requests.filter((q) => q.startsWith('PUT '));

describe('app: the App dismisses its own approval of a pull request that is no longer auto-approved', () => {
  it("a push that makes the change need the manager's approval: the App's approval of the first commit is dismissed, with why, and the check fails", async () => {
    const scenario = pushedPullRequest();
    const { run, done, status } = await synchronize(scenario, [ours(90, scenario.first.headSha)]);

    expect(status).toBe(200);
    expect(run).toMatchObject({ head_sha: scenario.pr.headSha, conclusion: 'failure' });
    expect(run.output!.title).toBe("Waiting for approval: owner's manager");
    expect(done.problems).toEqual([]);
    expect(done.dismissals).toEqual([
      { pullNumber: NUMBER, reviewId: 90, body: { message: expect.stringMatching(DISMISSED_BECAUSE), event: 'DISMISS' } },
    ]);
    expect(done.dismissals[0]!.body.message).toContain('See the micro-app approval check');
    expect(dismissalRequests(done)).toEqual([`PUT /repos/${OWNER}/${REPO}/pulls/${NUMBER}/reviews/90/dismissals`]);
    expect(done.reviewsSubmitted, 'no new approval').toEqual([]);
    expect(done.reviewRequests.flatMap((r) => r.reviewers ?? [])).toContain(MANAGER);
  });

  it('every approval of the App still standing is dismissed (one per commit it approved), each once', async () => {
    const scenario = pushedPullRequest();
    const { done } = await synchronize(scenario, [ours(90, scenario.first.headSha), ours(91, scenario.first.headSha)]);

    expect(done.problems).toEqual([]);
    expect(done.dismissals.map((d) => d.reviewId)).toEqual([90, 91]);
  });

  it("someone else's approval is never dismissed (nor a person's account named like the App); the App's already dismissed review is not dismissed again", async () => {
    const scenario = pushedPullRequest();
    const { run, done } = await synchronize(scenario, [
      ours(89, scenario.first.headSha, 'DISMISSED'),
      review({ id: 91, login: 'someone-else', state: 'APPROVED', commitId: scenario.first.headSha }),
      review({ id: 92, login: APP_SLUG, state: 'APPROVED', commitId: scenario.first.headSha }),
      ours(93, scenario.first.headSha),
    ]);

    expect(run).toMatchObject({ conclusion: 'failure' });
    expect(done.problems).toEqual([]);
    expect(done.dismissals.map((d) => d.reviewId)).toEqual([93]);
  });

  it("only the App's dismissed review and someone else's approval: nothing is dismissed", async () => {
    const scenario = pushedPullRequest();
    const { done } = await synchronize(scenario, [
      ours(89, scenario.first.headSha, 'DISMISSED'),
      review({ id: 91, login: 'someone-else', state: 'APPROVED', commitId: scenario.first.headSha }),
    ]);

    expect(done.problems).toEqual([]);
    expect(dismissalRequests(done)).toEqual([]);
  });

  it("still auto-approved after the push: the App's approval of the first commit stays, and it approves the new head", async () => {
    const scenario = pushedPullRequest(STANDUP_APP.replace('retention_days: 30', 'retention_days: 14'));
    const { run, done } = await synchronize(scenario, [ours(90, scenario.first.headSha)]);

    expect(run).toMatchObject({ conclusion: 'success' });
    expect(done.problems).toEqual([]);
    expect(dismissalRequests(done)).toEqual([]);
    expect(done.reviewsSubmitted).toEqual([expect.objectContaining({ event: 'APPROVE', commit_id: scenario.pr.headSha })]);
  });

  it("approve_auto_approved off, the App never approved: nothing is dismissed (a person's approval stands)", async () => {
    const scenario = pushedPullRequest();
    const { run, done } = await synchronize(
      scenario,
      [review({ id: 91, login: 'someone-else', state: 'APPROVED', commitId: scenario.first.headSha })],
      { config: 'approve_auto_approved: false\n' },
    );

    expect(run).toMatchObject({ conclusion: 'failure' });
    expect(done.problems).toEqual([]);
    expect(dismissalRequests(done)).toEqual([]);
    expect(done.reviewsSubmitted).toEqual([]);
  });

  it('approve_auto_approved switched off since the App approved: its approval no longer stands, though the change is still auto-approved', async () => {
    const scenario = pushedPullRequest(STANDUP_APP.replace('retention_days: 30', 'retention_days: 14'));
    const { run, done } = await synchronize(scenario, [ours(90, scenario.first.headSha)], { config: 'approve_auto_approved: false\n' });

    expect(run).toMatchObject({ conclusion: 'success' });
    expect(done.problems).toEqual([]);
    expect(done.dismissals).toEqual([
      {
        pullNumber: NUMBER,
        reviewId: 90,
        body: {
          message: expect.stringMatching(/^Automatic approval is switched off in this repository's App configuration/),
          event: 'DISMISS',
        },
      },
    ]);
    expect(done.reviewsSubmitted).toEqual([]);
  });

  it('GitHub refuses the dismissal (422): the check stands, the other steps happen, and the failure is logged', async () => {
    const scenario = pushedPullRequest();
    const { run, done, status } = await synchronize(scenario, [ours(90, scenario.first.headSha)], { followUps: { dismissalStatus: 422 } });

    expect(status).toBe(200);
    expect(run).toMatchObject({ conclusion: 'failure' });
    expect(done.problems).toEqual([]);
    expect(done.dismissals.map((d) => d.reviewId)).toEqual([90]);
    expect(done.labelsAdded).toEqual(['microapp: needs manager approval']);
    expect(done.commentsCreated).toHaveLength(1);
    expect(app.logs.some((l) => /dismissing its approving review failed/.test(l.msg))).toBe(true);
  });
});
