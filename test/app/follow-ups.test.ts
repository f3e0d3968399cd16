/**
 * What the App does around its check run, through the real HTTP path (signed deliveries, real
 * payload shapes, GitHub mocked at the HTTP boundary and checked against its OpenAPI
 * description): review requests, labels, the one explaining comment, the optional approving
 * review, the configuration read from the default branch, re-runs, redelivered webhooks and
 * annotation batches.
 */
import { describe, expect, it } from 'vitest';
import { CHECK_NAME } from '../../src/app/evaluation/check-run.js';
import { COMMENT_MARKER } from '../../src/core/render/approvals/index.js';
import { useGitHubMock } from '../adapters/github/mock-github.js';
import { createSeededRepo, openPullRequest, useTempRepos, type FileMap } from '../helpers/git-repo.js';
import { fixture } from '../helpers/paths.js';
import { managerReviewers } from '../helpers/shipped.js';
import { useAppServer } from './app-server.js';
import { expectCheckRuns, expectCheckRunUpdates } from './check-runs.js';
import { examplePayload } from './deliveries.js';
import { BOT_LOGIN } from './follow-ups.js';
import { contentFile, forcePushEvent, issueComment, pullRequest, pullRequestSimpleItem, review } from './github-bodies.js';
import {
  AUTHOR,
  CONFIG_PATH,
  fromRepo,
  NUMBER,
  OWNER,
  plain,
  PRS,
  pullRequestOf,
  REPO,
  serveEvaluation,
  serveToken,
  type EvaluationOptions,
} from './serve-evaluation.js';

useTempRepos();
const github = useGitHubMock();
const app = useAppServer();

const HR_APP = { 'registry/hr/team-anniversaries.yaml': fixture('apps/team-anniversaries.yaml') };
const SANDBOX_APP = { 'registry/it/standup-notes-bot.yaml': fixture('apps/standup-notes-bot.yaml') };
const SECURITY_TEAM = `${OWNER}/security`;

/** A registry whose policy names a security team of the repository's own organisation (GitHub can request it). */
function ownOrgPullRequest(write: FileMap) {
  const repo = createSeededRepo();
  repo.write('policies/approval.yaml', repo.read('policies/approval.yaml').replace('example-org/security', SECURITY_TEAM));
  repo.commit('security team of this organisation');
  openPullRequest(repo, { write });
  return fromRepo(repo);
}

/** The example's installation, as in the pull request examples (the one serveToken answers for). */
const onInstallation = (payload: Record<string, any>): Record<string, any> => ({
  ...payload,
  installation: examplePayload('pull_request', 'opened').installation,
});

const evaluate = (pr: ReturnType<typeof pullRequestOf>, options: EvaluationOptions = {}) => serveEvaluation(github, pr, options);

describe('app: review requests, labels and the explaining comment', () => {
  it('a production HR app: asks the manager and the security team (never the author), labels it, and explains it in one new comment', async () => {
    const pr = ownOrgPullRequest(HR_APP);
    const done = evaluate(pr, { teams: { [SECURITY_TEAM]: ['security-alice', AUTHOR] }, pull: { labels: [] } });
    const checks = expectCheckRuns(OWNER, REPO);

    const res = await app.deliver('pull_request', examplePayload('pull_request', 'opened'));

    expect(res.status, res.body).toBe(200);
    expect(checks.sent[0]).toMatchObject({ name: CHECK_NAME, conclusion: 'failure' });
    expect(done.problems).toEqual([]);
    const managers = managerReviewers('hr-team@example.com').map(plain);
    expect(done.reviewRequests).toEqual([{ reviewers: managers, team_reviewers: ['security'] }]);
    expect(done.reviewRequests[0]!.reviewers).not.toContain(AUTHOR);
    expect(done.labelsAdded).toEqual(['microapp: needs security review']);
    expect(done.labelsRemoved).toEqual([]);
    expect(done.commentsCreated).toHaveLength(1);
    const comment = done.commentsCreated[0]!;
    expect(comment.startsWith(COMMENT_MARKER)).toBe(true);
    expect(comment).toContain('Waiting for approval');
    expect(comment).toContain(pr.headSha.slice(0, 7));
    expect(
      done.requests.filter((r) => r === 'GET /app'),
      'the App looks itself up once',
    ).toHaveLength(1);
  });

  it('edits its own comment in place, leaves a look-alike by someone else alone, asks nobody twice and swaps its stale label', async () => {
    const pr = ownOrgPullRequest(HR_APP);
    const managers = managerReviewers('hr-team@example.com').map(plain);
    const done = evaluate(pr, {
      teams: { [SECURITY_TEAM]: ['security-alice'] },
      pull: {
        labels: [
          {
            id: 1,
            node_id: 'L1',
            url: 'https://api.github.com/l/1',
            name: 'microapp: auto-approved',
            color: 'ededed',
            default: false,
            description: null,
          },
          { id: 2, node_id: 'L2', url: 'https://api.github.com/l/2', name: 'bug', color: 'ededed', default: false, description: null },
        ],
        requested_reviewers: [],
        requested_teams: [
          {
            id: 5,
            node_id: 'T5',
            url: 'https://api.github.com/teams/5',
            html_url: 'https://github.com/orgs/x/teams/security',
            name: 'Security',
            slug: 'security',
            description: null,
            privacy: 'closed',
            notification_setting: 'notifications_enabled',
            permission: 'pull',
            members_url: 'https://api.github.com/teams/5/members{/member}',
            repositories_url: 'https://api.github.com/teams/5/repos',
            parent: null,
            type: 'organization',
          },
        ],
      },
      followUps: {
        comments: [
          issueComment({ id: 501, body: `${COMMENT_MARKER}\nI copied the marker`, login: 'someone-else' }),
          issueComment({ id: 502, body: `${COMMENT_MARKER}\nold verdict`, login: BOT_LOGIN, bot: true }),
        ],
      },
    });
    expectCheckRuns(OWNER, REPO);

    const res = await app.deliver('pull_request', examplePayload('pull_request', 'synchronize'));

    expect(res.status, res.body).toBe(200);
    expect(done.problems).toEqual([]);
    expect(done.reviewRequests, 'the team is already asked').toEqual([{ reviewers: managers, team_reviewers: [] }]);
    expect(done.labelsRemoved).toEqual(['microapp: auto-approved']);
    expect(done.labelsAdded).toEqual(['microapp: needs security review']);
    expect(done.commentsCreated).toEqual([]);
    expect(done.commentsUpdated.map((c) => c.id)).toEqual([502]);
    expect(done.commentsUpdated[0]!.body).toContain('Waiting for approval');
  });

  it('GitHub refuses a review request (422): the check and the rest still happen', async () => {
    const pr = ownOrgPullRequest(HR_APP);
    const done = evaluate(pr, { teams: { [SECURITY_TEAM]: ['security-alice'] }, followUps: { reviewRequestStatus: 422 } });
    const checks = expectCheckRuns(OWNER, REPO);

    const res = await app.deliver('pull_request', examplePayload('pull_request', 'opened'));

    expect(res.status, res.body).toBe(200);
    expect(checks.sent).toHaveLength(1);
    expect(done.problems).toEqual([]);
    expect(done.reviewRequests).toHaveLength(1);
    expect(done.labelsAdded).toEqual(['microapp: needs security review']);
    expect(done.commentsCreated).toHaveLength(1);
  });

  it('someone who force-pushed the branch cannot approve it (timeline), and is not asked to', async () => {
    const pr = ownOrgPullRequest(HR_APP);
    const [manager] = managerReviewers('hr-team@example.com').map(plain);
    const done = evaluate(pr, {
      teams: { [SECURITY_TEAM]: ['security-alice'] },
      timeline: [forcePushEvent(manager!, pr.headSha)],
      reviews: [
        review({ id: 11, login: manager!, state: 'APPROVED', commitId: pr.headSha }),
        review({ id: 12, login: 'security-alice', state: 'APPROVED', commitId: pr.headSha }),
      ],
    });
    const checks = expectCheckRuns(OWNER, REPO);

    await app.deliver('pull_request_review', examplePayload('pull_request_review', 'submitted'));

    expect(checks.sent[0]).toMatchObject({ conclusion: 'failure' });
    expect(checks.sent[0]!.output!.title).toMatch(/owner's manager/);
    expect(checks.sent[0]!.output!.title).not.toMatch(/security/);
    expect(checks.sent[0]!.output!.summary).toMatch(/pushed/i);
    // Nobody else is left to ask, so no request may be made at all; if one is, it must not name the manager.
    expect(done.reviewRequests.flatMap((r) => r.reviewers ?? [])).not.toContain(manager);
  });
});

describe('app: configuration from the default branch (.github/microapps.yml)', () => {
  it('custom check name and approve_auto_approved: a passing check under that name and one approving review on the head', async () => {
    const pr = pullRequestOf(SANDBOX_APP);
    const done = evaluate(pr, { config: 'check_name: registry gate\napprove_auto_approved: true\n' });
    const checks = expectCheckRuns(OWNER, REPO);

    const res = await app.deliver('pull_request', examplePayload('pull_request', 'opened'));

    expect(res.status, res.body).toBe(200);
    expect(checks.sent[0]).toMatchObject({ name: 'registry gate', head_sha: pr.headSha, conclusion: 'success' });
    expect(done.problems).toEqual([]);
    expect(done.reviewsSubmitted).toEqual([expect.objectContaining({ event: 'APPROVE', commit_id: pr.headSha })]);
    expect(done.reviewRequests).toEqual([]);
    expect(done.labelsAdded).toEqual(['microapp: auto-approved']);
  });

  it('the App does not approve the same head twice', async () => {
    const pr = pullRequestOf(SANDBOX_APP);
    const done = evaluate(pr, {
      config: 'approve_auto_approved: true\n',
      reviews: [review({ id: 90, login: BOT_LOGIN, state: 'APPROVED', commitId: pr.headSha })],
    });
    expectCheckRuns(OWNER, REPO);

    await app.deliver('pull_request_review', examplePayload('pull_request_review', 'submitted'));

    expect(done.reviewsSubmitted).toEqual([]);
  });

  it('labels, comment and review requests can be switched off', async () => {
    const pr = pullRequestOf(HR_APP);
    const done = evaluate(pr, {
      config: 'labels: false\ncomment: false\nrequest_reviews: false\n',
      teams: { 'example-org/security': ['security-alice'] },
    });
    const checks = expectCheckRuns(OWNER, REPO);

    await app.deliver('pull_request', examplePayload('pull_request', 'opened'));

    expect(checks.sent[0]).toMatchObject({ conclusion: 'failure' });
    expect(done.requests).toEqual([]);
  });

  it('a broken configuration fails the check (under the default name) with the file, line and column, and changes nothing else', async () => {
    const pr = pullRequestOf(SANDBOX_APP);
    // The evaluation stops at the configuration: trees, reviews and commits are never read.
    serveToken(github);
    github.reply(
      'GET',
      PRS,
      200,
      pullRequest({ owner: OWNER, repo: REPO, number: NUMBER, author: AUTHOR, baseSha: pr.baseSha, headSha: pr.headSha }),
    );
    github.reply('GET', CONFIG_PATH, 200, contentFile('.github/microapps.yml', 'check_name: gate\naprove_auto_approved: true\n'));
    const checks = expectCheckRuns(OWNER, REPO);

    const res = await app.deliver('pull_request', examplePayload('pull_request', 'opened'));

    expect(res.status, res.body).toBe(200);
    expect(checks.problems).toEqual([]);
    expect(checks.sent[0]).toMatchObject({ name: CHECK_NAME, head_sha: pr.headSha, conclusion: 'failure' });
    expect(checks.sent[0]!.output!.summary).toContain('.github/microapps.yml:2:1');
    expect(checks.sent[0]!.output!.summary).toContain('approve\\_auto\\_approved');
  });
});

describe("app: deliveries, re-runs and GitHub's limits", () => {
  it('a redelivered webhook (same X-GitHub-Delivery) does nothing the second time', async () => {
    const pr = pullRequestOf(SANDBOX_APP);
    evaluate(pr);
    const checks = expectCheckRuns(OWNER, REPO);
    const payload = examplePayload('pull_request', 'opened');

    const first = await app.deliver('pull_request', payload, { id: 'same-delivery' });
    const answered = github.requests.length;
    const second = await app.deliver('pull_request', payload, { id: 'same-delivery' });

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(github.requests.length, 'no GitHub call for the duplicate').toBe(answered);
    expect(checks.sent).toHaveLength(1);
  });

  it('a second event on the same pull request reads no blob again (blobs are cached by id)', async () => {
    const pr = pullRequestOf(HR_APP);
    evaluate(pr, { teams: { 'example-org/security': ['security-alice'] } });
    const checks = expectCheckRuns(OWNER, REPO, 2);

    await app.deliver('pull_request', examplePayload('pull_request', 'opened'));
    const blobReads = () => github.requests.filter((r) => r.includes('/git/blobs/')).length;
    const first = blobReads();
    evaluate(pr, { token: false, teams: { 'example-org/security': ['security-alice'] } });
    await app.deliver('pull_request_review', examplePayload('pull_request_review', 'submitted'));

    expect(first).toBeGreaterThan(0);
    expect(blobReads()).toBe(first);
    expect(checks.sent.map((r) => r.conclusion)).toEqual(['failure', 'failure']);
  });

  it('a delivery whose follow-up failed may be redelivered, and then does the work again', async () => {
    const pr = pullRequestOf(SANDBOX_APP);
    // GitHub refuses the label (422); the check itself is published.
    github.reply('POST', `/repos/${OWNER}/${REPO}/issues/${NUMBER}/labels`, 422, {
      message: 'Validation Failed',
      documentation_url: 'https://docs.github.com/rest',
    });
    const done = evaluate(pr);
    const checks = expectCheckRuns(OWNER, REPO, 2);
    const payload = examplePayload('pull_request', 'opened');

    const first = await app.deliver('pull_request', payload, { id: 'flaky-delivery' });
    evaluate(pr, { token: false });
    const again = await app.deliver('pull_request', payload, { id: 'flaky-delivery' });

    expect([first.status, again.status]).toEqual([200, 200]);
    expect(checks.sent.map((r) => r.conclusion)).toEqual(['success', 'success']);
    expect(done.labelsAdded).toEqual(['microapp: auto-approved']);
  });

  it('check_suite.rerequested judges the pull request the suite names again', async () => {
    const pr = pullRequestOf(SANDBOX_APP);
    evaluate(pr);
    const checks = expectCheckRuns(OWNER, REPO);
    const payload = onInstallation(examplePayload('check_suite', 'rerequested'));
    expect(payload.check_suite.pull_requests.map((p: { number: number }) => p.number)).toEqual([NUMBER]);

    const res = await app.deliver('check_suite', payload);

    expect(res.status, res.body).toBe(200);
    expect(checks.sent.map((r) => [r.name, r.head_sha, r.conclusion])).toEqual([[CHECK_NAME, pr.headSha, 'success']]);
  });

  it('check_run.rerequested without a linked pull request (a fork) finds it by its head commit', async () => {
    const pr = pullRequestOf(SANDBOX_APP);
    const payload = onInstallation(examplePayload('check_run', 'rerequested'));
    payload.repository = examplePayload('check_suite', 'rerequested').repository;
    payload.check_run.head_sha = pr.headSha;
    expect(payload.check_run.pull_requests).toEqual([]);
    evaluate(pr);
    github.reply('GET', `/repos/${OWNER}/${REPO}/commits/${pr.headSha}/pulls`, 200, [
      pullRequestSimpleItem({ number: NUMBER, headSha: pr.headSha }),
      pullRequestSimpleItem({ number: 99, headSha: pr.headSha, state: 'closed' }),
    ]);
    const checks = expectCheckRuns(OWNER, REPO);

    const res = await app.deliver('check_run', payload);

    expect(res.status, res.body).toBe(200);
    expect(checks.sent.map((r) => [r.head_sha, r.conclusion])).toEqual([[pr.headSha, 'success']]);
  });

  it('more than 50 annotations go in batches of 50: the creation, then updates', async () => {
    const write: FileMap = {};
    // 120 sandbox apps, each with exactly one error (an unknown field): 120 annotations.
    const standup = fixture('apps/standup-notes-bot.yaml');
    for (let i = 0; i < 120; i++)
      write[`registry/it/broken-${i}.yaml`] = `${standup.replace('name: standup-notes-bot', `name: broken-${i}`)}not_a_field: 1\n`;
    const pr = pullRequestOf(write);
    evaluate(pr);
    const checks = expectCheckRuns(OWNER, REPO);
    const updates = expectCheckRunUpdates(OWNER, REPO, 2);

    const res = await app.deliver('pull_request', examplePayload('pull_request', 'opened'));

    expect(res.status, res.body).toBe(200);
    expect(checks.problems).toEqual([]);
    expect(updates.problems).toEqual([]);
    const created = checks.sent[0]!.output as { annotations?: Array<{ path: string; start_line: number; annotation_level: string }> };
    expect(checks.sent[0]).toMatchObject({ conclusion: 'failure' });
    expect(created.annotations).toHaveLength(50);
    const batches = updates.sent.map((u) => (u.output as unknown as { annotations: unknown[] }).annotations.length);
    expect(batches).toEqual([50, 20]);
    expect(created.annotations![0]).toMatchObject({
      annotation_level: 'failure',
      path: expect.stringMatching(/^registry\/it\/broken-\d+\.yaml$/),
    });
  });
});
