/**
 * The GitHub App through its real HTTP path: signed deliveries (real payload shapes from
 * @octokit/webhooks-examples) POSTed to the App's HTTP front on an ephemeral port, GitHub's
 * API mocked with nock from a real temporary registry repository (every request and answer
 * checked against GitHub's OpenAPI description; an unexpected request or an unused mock fails
 * the test). Each scenario asserts the check run the App sends.
 */
import { describe, expect, it } from 'vitest';
import { CHECK_NAME } from '../../src/app/evaluation/check-run.js';
import { useGitHubMock } from '../adapters/github/mock-github.js';
import { useTempRepos } from '../helpers/git-repo.js';
import { fixture } from '../helpers/paths.js';
import { configuredReviewers, managerReviewers } from '../helpers/shipped.js';
import { useAppServer } from './app-server.js';
import { expectCheckRuns } from './check-runs.js';
import { examplePayload } from './deliveries.js';
import { review } from './github-bodies.js';
import {
  OWNER,
  PRS,
  REPO,
  AUTHOR,
  plain,
  pullRequestOf,
  serveEvaluation as evaluate,
  serveToken as token,
  type EvaluationOptions,
  type ServedPullRequest,
} from './serve-evaluation.js';

useTempRepos();
const github = useGitHubMock();
const app = useAppServer();

const serveEvaluation = (pr: ServedPullRequest, options?: EvaluationOptions) => evaluate(github, pr, options);
const serveToken = () => token(github);

describe('app: the "micro-app approval" check run', () => {
  it("auto-approved sandbox app: a passing check on the head commit GitHub names, not the payload's", async () => {
    const pr = pullRequestOf({ 'registry/it/standup-notes-bot.yaml': fixture('apps/standup-notes-bot.yaml') });
    serveEvaluation(pr);
    const checks = expectCheckRuns(OWNER, REPO);

    const payload = examplePayload('pull_request', 'opened');
    expect(payload.pull_request.head.sha, 'the payload names another head: the App must re-fetch').not.toBe(pr.headSha);
    const res = await app.deliver('pull_request', payload);

    expect(res.status, res.body).toBe(200);
    expect(checks.problems).toEqual([]);
    expect(checks.sent).toHaveLength(1);
    const run = checks.sent[0]!;
    expect(run).toMatchObject({ name: CHECK_NAME, head_sha: pr.headSha, status: 'completed', conclusion: 'success' });
    expect(run.output?.title).toBe('No approval needed');
    expect(run.output!.summary.length).toBeGreaterThan(0);
    expect(run.output!.summary.length).toBeLessThanOrEqual(65_535);
  });

  it('production HR app with no reviews: a failing check listing the manager and security approvals still needed', async () => {
    const pr = pullRequestOf({ 'registry/hr/team-anniversaries.yaml': fixture('apps/team-anniversaries.yaml') });
    const [security] = configuredReviewers('security_team_review');
    serveEvaluation(pr, { teams: { [plain(security!)]: ['security-alice', 'security-bob'] } });
    const checks = expectCheckRuns(OWNER, REPO);

    const res = await app.deliver('pull_request', examplePayload('pull_request', 'opened'));

    expect(res.status, res.body).toBe(200);
    expect(checks.problems).toEqual([]);
    expect(checks.sent).toHaveLength(1);
    const run = checks.sent[0]!;
    expect(run).toMatchObject({ name: CHECK_NAME, head_sha: pr.headSha, status: 'completed', conclusion: 'failure' });
    expect(run.output!.title).toMatch(/^Waiting for approval: .*manager.* and .*security/i);
    const summary = run.output!.summary;
    for (const manager of managerReviewers('hr-team@example.com')) expect(summary, summary).toContain(plain(manager));
    expect(summary).toContain('security-alice');
    expect(summary).toContain('security-bob');
    expect(summary, 'the author cannot approve and is not offered').not.toContain(AUTHOR);
    expect(summary.match(/\*\*Still needed:\*\*/g), 'two approvals still needed').toHaveLength(2);
    expect(summary).toContain('example-org/security');
  });

  it('pull_request_review.submitted: the manager and a security member approved the head commit, so the check passes', async () => {
    const pr = pullRequestOf({ 'registry/hr/team-anniversaries.yaml': fixture('apps/team-anniversaries.yaml') });
    const [security] = configuredReviewers('security_team_review');
    const [manager] = managerReviewers('hr-team@example.com');
    serveEvaluation(pr, {
      teams: { [plain(security!)]: ['security-alice'] },
      reviews: [
        review({ id: 11, login: plain(manager!), state: 'APPROVED', commitId: pr.headSha }),
        review({ id: 12, login: 'security-alice', state: 'APPROVED', commitId: pr.headSha }),
      ],
    });
    const checks = expectCheckRuns(OWNER, REPO);

    const res = await app.deliver('pull_request_review', examplePayload('pull_request_review', 'submitted'));

    expect(res.status, res.body).toBe(200);
    expect(checks.problems).toEqual([]);
    expect(checks.sent).toHaveLength(1);
    expect(checks.sent[0]).toMatchObject({ name: CHECK_NAME, head_sha: pr.headSha, conclusion: 'success' });
    expect(checks.sent[0]!.output!.title).toBe('All required approvals given');
  });

  it('pull_request_review.dismissed: the dismissed manager approval no longer counts, so the check fails again', async () => {
    const pr = pullRequestOf({ 'registry/hr/team-anniversaries.yaml': fixture('apps/team-anniversaries.yaml') });
    const [security] = configuredReviewers('security_team_review');
    const [manager] = managerReviewers('hr-team@example.com');
    serveEvaluation(pr, {
      teams: { [plain(security!)]: ['security-alice'] },
      reviews: [
        review({ id: 11, login: plain(manager!), state: 'DISMISSED', commitId: pr.headSha }),
        review({ id: 12, login: 'security-alice', state: 'APPROVED', commitId: pr.headSha }),
      ],
    });
    const checks = expectCheckRuns(OWNER, REPO);

    const res = await app.deliver('pull_request_review', examplePayload('pull_request_review', 'dismissed'));

    expect(res.status, res.body).toBe(200);
    expect(checks.sent).toHaveLength(1);
    expect(checks.sent[0]).toMatchObject({ name: CHECK_NAME, head_sha: pr.headSha, conclusion: 'failure' });
    expect(checks.sent[0]!.output!.title).toMatch(/^Waiting for approval: owner's manager$/i);
  });
});

describe('app: deliveries it must refuse or survive', () => {
  it('a bad signature is refused with 4xx and the App calls no GitHub API', async () => {
    const payload = examplePayload('pull_request', 'opened');
    const forged = await app.deliver('pull_request', payload, { secret: 'not-the-secret' });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect(forged.status).toBeLessThan(500);
    const missing = await app.deliver('pull_request', payload, { signature: '' });
    expect(missing.status).toBeGreaterThanOrEqual(400);
    expect(missing.status).toBeLessThan(500);
    expect(github.requests).toEqual([]);
  });

  it('GitHub answers 500 to every try at fetching the PR: the check is concluded failure with the reason and the delivery id', async () => {
    serveToken();
    // Probot's retry plugin tries 3 more times before giving up.
    github.reply('GET', PRS, 500, { message: 'Server Error', documentation_url: 'https://docs.github.com/rest' }, { times: 4 });
    const checks = expectCheckRuns(OWNER, REPO);

    const payload = examplePayload('pull_request', 'opened');
    const res = await app.deliver('pull_request', payload, { id: 'delivery-500-test' });

    expect(res.status, res.body).toBe(200);
    expect(checks.problems).toEqual([]);
    expect(checks.sent).toHaveLength(1);
    const run = checks.sent[0]!;
    // The PR could not be fetched, so the failure goes on the head the payload names: a failure grants nothing.
    expect(run).toMatchObject({ name: CHECK_NAME, head_sha: payload.pull_request.head.sha, status: 'completed', conclusion: 'failure' });
    expect(run.output!.title).toBe('The approval check could not run');
    expect(run.output!.summary).toContain('500');
    expect(run.output!.summary).toContain('Server Error');
    expect(run.output!.summary).toContain('delivery-500-test');
    expect(run.output!.summary).not.toContain('ghs_test_installation_token');
  });

  it('GitHub answers 500 once, then the PR: the retry succeeds and the check is the real verdict', async () => {
    const pr = pullRequestOf({ 'registry/it/standup-notes-bot.yaml': fixture('apps/standup-notes-bot.yaml') });
    github.reply('GET', PRS, 500, { message: 'Server Error', documentation_url: 'https://docs.github.com/rest' });
    serveEvaluation(pr);
    const checks = expectCheckRuns(OWNER, REPO);

    const res = await app.deliver('pull_request', examplePayload('pull_request', 'synchronize'));

    expect(res.status, res.body).toBe(200);
    expect(checks.problems).toEqual([]);
    expect(checks.sent.map((r) => [r.head_sha, r.conclusion])).toEqual([[pr.headSha, 'success']]);
    expect(github.requests.filter((r) => r.startsWith(`GET ${PRS}`) && !r.includes('/reviews') && !r.includes('/commits'))).toHaveLength(2);
  });

  it('edited with a new base branch is judged again', async () => {
    const pr = pullRequestOf({ 'registry/it/standup-notes-bot.yaml': fixture('apps/standup-notes-bot.yaml') });
    serveEvaluation(pr);
    const checks = expectCheckRuns(OWNER, REPO);
    const payload = examplePayload('pull_request', 'opened');
    payload.action = 'edited';
    payload.changes = { base: { ref: { from: 'develop' }, sha: { from: payload.pull_request.base.sha } } };

    const res = await app.deliver('pull_request', payload);

    expect(res.status, res.body).toBe(200);
    expect(checks.sent.map((r) => [r.name, r.head_sha, r.conclusion])).toEqual([[CHECK_NAME, pr.headSha, 'success']]);
  });

  it('edited without a base change is ignored: no API call, no check run', async () => {
    const payload = examplePayload('pull_request', 'opened');
    payload.action = 'edited';
    payload.changes = { title: { from: 'old title' } };
    const res = await app.deliver('pull_request', payload);
    expect(res.status, res.body).toBe(200);
    expect(github.requests).toEqual([]);
  });
});

describe('app: the HTTP front', () => {
  it('GET /healthz answers 200; unknown paths 404', async () => {
    expect(await app.get('/healthz')).toEqual({ status: 200, body: '{"status":"ok"}' });
    expect((await app.get('/nope')).status).toBe(404);
  });
});
