/**
 * When the default branch moves in governed paths, the App judges the open pull requests into it
 * again (issue 9, section 1; src/app/rejudge/): through its real HTTP front, signed `push`
 * deliveries (@octokit/webhooks-examples' push to a branch), GitHub mocked by nock from a real
 * temporary registry repository (every request and answer checked against GitHub's OpenAPI
 * description; an unexpected request or an unused mock fails the test).
 *
 * The registry: two pull requests off main, #1 adding a sandbox app that posts to Slack, #2 one
 * that reads web analytics; both auto-approved on main as it was. Then main moves.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMicroappsApp } from '../../src/app/index.js';
import { KeyedQueue } from '../../src/app/delivery/serialize.js';
import { FakeGitHubRepo } from '../adapters/github/fake-repo.js';
import nock from 'nock';
import { API, useGitHubMock } from '../adapters/github/mock-github.js';
import { createSeededRepo, openPullRequest, useTempRepos, type GitRepo, type PullRequestChange } from '../helpers/git-repo.js';
import { fixture } from '../helpers/paths.js';
import { configuredReviewers } from '../helpers/shipped.js';
import { useAppServer, type AppServer } from './app-server.js';
import { expectCheckRuns, type SentCheckRun } from './check-runs.js';
import { examplePayload } from './deliveries.js';
import { BOT_LOGIN, captureFollowUps } from './follow-ups.js';
import { pullRequestSimpleItem, review } from './github-bodies.js';
import { branchHeadAnswer, useGraphQLMock, type GraphQLMock } from './graphql-mock.js';
import { openPullsPath, pushPayload, serveOpenPulls } from './merge-scenario.js';
import { CONFIG_PATH, OWNER, REPO, plain, serveEvaluation, serveToken, type EvaluationOptions } from './serve-evaluation.js';
import { nonEmpty as nonEmptyList } from '../helpers/contract.js';
import type { GitHubMock } from '../adapters/github/mock-github.js';

useTempRepos();
const github = useGitHubMock();
const graphql = useGraphQLMock();

beforeEach(() => {
  // No audit key: the merge record of these pushes stops there (logged), and the tests are about judging again.
  vi.stubEnv('MICROAPPS_AUDIT_PRIVATE_KEY', undefined);
  vi.stubEnv('MICROAPPS_AUDIT_KEY', undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const STANDUP = 'registry/it/standup-notes-bot.yaml';
const DIGEST = 'registry/it/traffic-digest.yaml';
const DIGEST_APP = `name: traffic-digest
owner: it-platform@example.com
environment: sandbox
description: Mails last week's website traffic report to the team.
auth:
  type: oidc
  provider: company-sso
  scopes: [openid, profile, email]
connectors:
  - id: web_analytics_read
    scopes: [reports:read]
logging:
  level: info
  output: central-logs
  structured: true
retention_days: 30
`;
const SECURITY_TEAM = plain(configuredReviewers('security_team_review')[0]!);
/** Main moves: Slack posting becomes a restricted connector (security review), and an app on main changes. */
const RESTRICT_SLACK = (repo: GitRepo): PullRequestChange => ({
  write: {
    'connectors/slack_post_messages.yaml': repo
      .read('connectors/slack_post_messages.yaml')
      .replace('status: preapproved', 'status: restricted'),
    'registry/it/laptop-refresh-tracker.yaml': `${repo.read('registry/it/laptop-refresh-tracker.yaml')}# reviewed\n`,
  },
});

interface Registry {
  repo: GitRepo;
  fake: FakeGitHubRepo;
  /** main when the pull requests were made. */
  base: string;
  /** Head commit by pull request number. */
  heads: Record<number, string>;
}

/** The seeded registry with pull requests #1 (standup-notes-bot) and #2 (traffic-digest) off main. */
function twoPullRequests(): Registry {
  const repo = createSeededRepo();
  const base = repo.sha('main');
  openPullRequest(repo, { write: { [STANDUP]: fixture('apps/standup-notes-bot.yaml') } }, 'feature-1');
  repo.checkout('main');
  openPullRequest(repo, { write: { [DIGEST]: DIGEST_APP } }, 'feature-2');
  repo.checkout('main');
  return { repo, fake: new FakeGitHubRepo(repo, OWNER, REPO), base, heads: { 1: repo.sha('feature-1'), 2: repo.sha('feature-2') } };
}

/** Commits `change` on main; returns the new head. */
function moveMain(r: Registry, change: PullRequestChange, message = 'merge on main'): string {
  r.repo.checkout('main');
  for (const p of change.remove ?? []) r.repo.remove(p);
  if (change.write) r.repo.writeAll(change.write);
  return r.repo.commit(message);
}

/** The open pull request items GitHub lists for main. */
const listed = (r: Registry, numbers: number[]) =>
  numbers.map((n) => pullRequestSimpleItem({ number: n, headSha: r.heads[n] ?? `${n}`.padStart(40, 'c'), baseRef: 'main' }));

/**
 * What the push `before..after` itself reads: both trees (the merge record and judging again
 * share them), the branch head for the merge record, and, when `open` is given, the open pull
 * requests into main.
 */
function servePush(gh: GitHubMock, gql: GraphQLMock, r: Registry, before: string, after: string, open?: Record<string, unknown>[]): void {
  gql.answer('MicroappsBranchHead', branchHeadAnswer(after));
  r.fake.serveListing(gh, before);
  r.fake.serveListing(gh, after);
  const served = r.fake.serveBlobsOf(gh, before);
  r.fake.serveBlobsOf(gh, after, served);
  if (open) serveOpenPulls(gh, open);
}

/**
 * One evaluation of pull request `number` with main at `main` (the pull request is behind it
 * when main moved). The first of a test passes `token: true`: it serves the installation token
 * and starts the capture of follow-up steps, which later ones share.
 */
function serveJudging(r: Registry, number: number, main: string, options: EvaluationOptions = {}) {
  return serveEvaluation(
    github,
    { repo: r.repo, fake: r.fake, baseSha: main, headSha: r.heads[number]! },
    {
      number,
      token: false,
      behind: main !== r.base,
      ...options,
    },
  );
}

const checksOn = (sent: SentCheckRun[], sha: string) => sent.filter((c) => c.head_sha === sha);
const pullReads = (gh: GitHubMock, n: number) => gh.requests.filter((q) => q === `GET /repos/${OWNER}/${REPO}/pulls/${n}`);
const rejudgeLines = (app: AppServer) => app.logs.filter((l) => /judg(ed|ing) .*again|not judged again/.test(l.msg));

describe('app: a push to main judges the open pull requests into it again', () => {
  const app = useAppServer({ logs: true });

  it('main restricts a connector and changes an app: both open pull requests get a new check on their head; #1, green before, now needs the security review; #2 stays green', async () => {
    const r = twoPullRequests();
    // Before: #1 on main as it was, auto-approved.
    const followUps = serveJudging(r, 1, r.base, { token: true });
    const checks = expectCheckRuns(OWNER, REPO, 3);
    const synchronize = examplePayload('pull_request', 'synchronize');
    synchronize.number = 1;
    synchronize.pull_request.number = 1;
    const first = await app.deliver('pull_request', synchronize);
    expect(first.status, first.body).toBe(200);
    expect(checks.sent.map((c) => [c.head_sha, c.conclusion])).toEqual([[r.heads[1], 'success']]);

    const after = moveMain(r, RESTRICT_SLACK(r.repo));
    servePush(github, graphql, r, r.base, after, listed(r, [2, 1]));
    serveJudging(r, 1, after, { teams: { [SECURITY_TEAM]: ['security-alice'] } });
    serveJudging(r, 2, after);

    const res = await app.deliver('push', pushPayload({ before: r.base, after }));

    expect(res.status, res.body).toBe(200);
    expect(checks.problems).toEqual([]);
    expect(followUps.problems).toEqual([]);
    expect(checks.sent).toHaveLength(3);
    const [one] = checksOn(checks.sent.slice(1), r.heads[1]!);
    const [two] = checksOn(checks.sent.slice(1), r.heads[2]!);
    expect(one, 'pull request #1 judged again on its head').toMatchObject({ conclusion: 'failure' });
    expect(one!.output!.title).toMatch(/security/i);
    expect(one!.output!.summary).toContain('security-alice');
    expect(two, 'pull request #2 judged again on its head').toMatchObject({ conclusion: 'success' });
    // Each was re-fetched (its base now the new main) and judged as on any event: labels and the comment too.
    expect(pullReads(github, 1)).toHaveLength(2);
    expect(pullReads(github, 2)).toHaveLength(1);
    expect(followUps.requests).toEqual(
      expect.arrayContaining([`POST /repos/${OWNER}/${REPO}/issues/1/comments`, `POST /repos/${OWNER}/${REPO}/issues/2/comments`]),
    );
    expect(followUps.reviewRequests, 'reviews are requested for #1 only').toHaveLength(1);
    expect(github.requests).toContain(`GET ${openPullsPath()}`);
    expect(rejudgeLines(app).map((l) => l.msg)).toEqual([
      expect.stringMatching(
        /changed connectors\/slack_post_messages\.yaml and registry\/it\/laptop-refresh-tracker\.yaml; judging 2 open pull requests again: #2 and #1/,
      ),
    ]);
  });

  it("GitHub's pull requests still name the old main as their base (base.sha moves only when a head is pushed): each is judged by main's tip, so #1 needs the security review", async () => {
    const r = twoPullRequests();
    const after = moveMain(r, RESTRICT_SLACK(r.repo));
    servePush(github, graphql, r, r.base, after, listed(r, [2, 1]));
    // The pull request answers say base.sha = the old main; the ref of main says `after`.
    const followUps = serveJudging(r, 1, r.base, {
      token: true,
      baseTip: after,
      behind: true,
      teams: { [SECURITY_TEAM]: ['security-alice'] },
    });
    serveJudging(r, 2, r.base, { baseTip: after, behind: true });
    const checks = expectCheckRuns(OWNER, REPO, 2);

    const res = await app.deliver('push', pushPayload({ before: r.base, after }));

    expect(res.status, res.body).toBe(200);
    expect(checks.problems).toEqual([]);
    expect(followUps.problems).toEqual([]);
    const [one] = checksOn(checks.sent, r.heads[1]!);
    expect(one, 'pull request #1 judged by the new main').toMatchObject({ conclusion: 'failure' });
    expect(one!.output!.title).toMatch(/security/i);
    expect(checksOn(checks.sent, r.heads[2]!)).toEqual([expect.objectContaining({ conclusion: 'success' })]);
    expect(
      github.requests.filter((q) => q.includes(`/compare/${r.base}`)),
      'no merge base taken from the old main',
    ).toEqual([]);
  });

  it("with approve_auto_approved, the App's approval of #1 is dismissed when main restricts its connector (its check fails: manager and security review); #2, still auto-approved, keeps the App's approval", async () => {
    const r = twoPullRequests();
    const after = moveMain(r, RESTRICT_SLACK(r.repo));
    const config = 'approve_auto_approved: true\n';
    servePush(github, graphql, r, r.base, after, listed(r, [2, 1]));
    const followUps = serveJudging(r, 1, after, {
      token: true,
      config,
      teams: { [SECURITY_TEAM]: ['security-alice'] },
      reviews: [review({ id: 71, login: BOT_LOGIN, state: 'APPROVED', commitId: r.heads[1]! })],
    });
    serveJudging(r, 2, after, { config, reviews: [review({ id: 72, login: BOT_LOGIN, state: 'APPROVED', commitId: r.heads[2]! })] });
    const checks = expectCheckRuns(OWNER, REPO, 2);

    const res = await app.deliver('push', pushPayload({ before: r.base, after }));

    expect(res.status, res.body).toBe(200);
    expect(checks.problems).toEqual([]);
    expect(followUps.problems).toEqual([]);
    expect(checksOn(checks.sent, r.heads[1]!)).toEqual([expect.objectContaining({ conclusion: 'failure' })]);
    expect(checksOn(checks.sent, r.heads[2]!)).toEqual([expect.objectContaining({ conclusion: 'success' })]);
    expect(followUps.dismissals).toEqual([
      {
        pullNumber: 1,
        reviewId: 71,
        body: {
          message: expect.stringMatching(
            /^The registry policy no longer auto-approves this change: it now needs approval \(waiting for approval: owner's manager and security team\)\./,
          ),
          event: 'DISMISS',
        },
      },
    ]);
    expect(followUps.reviewsSubmitted, "the App already approved #2's head").toEqual([]);
  });

  it('a push that changes only files the registry does not govern (README.md) judges nothing again: no list of pull requests, no check', async () => {
    const r = twoPullRequests();
    const after = moveMain(r, { write: { 'README.md': '# our registry\n\nHow to add an app.\n' } });
    serveToken(github);
    servePush(github, graphql, r, r.base, after);

    const res = await app.deliver('push', pushPayload({ before: r.base, after }));

    expect(res.status, res.body).toBe(200);
    expect(github.requests.filter((q) => q.includes('/pulls'))).toEqual([]);
    expect(github.requests.filter((q) => q.includes('/check-runs'))).toEqual([]);
    expect(rejudgeLines(app).map((l) => l.msg)).toEqual([
      expect.stringMatching(/open pull requests not judged again: the push changed no file the registry governs/),
    ]);
  });

  it("the App's own merge record (only audit/ and generated/ changed) judges nothing again, from the same two listings the record reads", async () => {
    const r = twoPullRequests();
    const after = moveMain(
      r,
      { write: { 'audit/log.jsonl': '{}\n', 'generated/gateway/kong.yaml': '_format_version: "3.0"\n' } },
      'audit: record 1 app change',
    );
    serveToken(github);
    graphql.answer('MicroappsBranchHead', branchHeadAnswer(after));
    r.fake.serveListing(github, r.base);
    r.fake.serveListing(github, after);
    r.fake.serveBlobsOf(github, after);
    const policyBlob = r.repo.git('rev-parse', `${after}:policies/approval.yaml`).trim();

    const res = await app.deliver('push', pushPayload({ before: r.base, after }));

    expect(res.status, res.body).toBe(200);
    expect([...github.requests].sort(), 'each side listed once, and the policy read for its governance paths; nothing else').toEqual(
      [
        'POST /app/installations/1/access_tokens',
        `GET ${r.fake.path(`/git/blobs/${policyBlob}`)}`,
        `GET ${r.fake.path(`/git/commits/${after}`)}`,
        `GET ${r.fake.path(`/git/commits/${r.base}`)}`,
        `GET ${r.fake.path(`/git/trees/${r.fake.treeOf(after)}?recursive=1`)}`,
        `GET ${r.fake.path(`/git/trees/${r.fake.treeOf(r.base)}?recursive=1`)}`,
      ].sort(),
    );
    expect(rejudgeLines(app).map((l) => l.msg)).toEqual([
      expect.stringMatching(/not judged again: the push changed only audit\/ and generated\//),
    ]);
  });

  it("a push that changes only the gate's own code (package.json, a governance path by default) judges the open pull requests again", async () => {
    const r = twoPullRequests();
    const after = moveMain(r, { write: { 'package.json': '{ "name": "registry-tools" }\n' } });
    servePush(github, graphql, r, r.base, after, listed(r, [2]));
    serveJudging(r, 2, after, { token: true });
    const checks = expectCheckRuns(OWNER, REPO, 1);

    const res = await app.deliver('push', pushPayload({ before: r.base, after }));

    expect(res.status, res.body).toBe(200);
    expect(checks.sent.map((c) => [c.head_sha, c.conclusion])).toEqual([[r.heads[2], 'success']]);
    expect(rejudgeLines(app).map((l) => l.msg)).toEqual([
      expect.stringMatching(/the push changed package\.json; judging 1 open pull request again: #2/),
    ]);
  });

  it("the base policy's own governance_paths (infra/) count too; a file outside them (docs/) does not", async () => {
    const r = twoPullRequests();
    const policy = r.repo
      .read('policies/approval.yaml')
      .replace('default_action: manager_approval', 'default_action: manager_approval\n\ngovernance_paths: [infra/, package.json]');
    const custom = moveMain(r, { write: { 'policies/approval.yaml': policy } }, 'governance paths');
    const docs = moveMain(r, { write: { 'docs/how-to.md': '# how to\n' } }, 'docs');
    const infra = moveMain(r, { write: { 'infra/deploy.yaml': 'replicas: 2\n' } }, 'infra');
    servePush(github, graphql, r, custom, docs);
    servePush(github, graphql, r, docs, infra, listed(r, [2]));
    serveJudging(r, 2, infra, { token: true });
    const checks = expectCheckRuns(OWNER, REPO, 1);

    expect((await app.deliver('push', pushPayload({ before: custom, after: docs }))).status).toBe(200);
    const res = await app.deliver('push', pushPayload({ before: docs, after: infra }));

    expect(res.status, res.body).toBe(200);
    expect(checks.sent.map((c) => [c.head_sha, c.conclusion])).toEqual([[r.heads[2], 'success']]);
    expect(rejudgeLines(app).map((l) => l.msg)).toEqual([
      expect.stringMatching(/not judged again: the push changed no file the registry governs/),
      expect.stringMatching(/the push changed infra\/deploy\.yaml; judging 1 open pull request again: #2/),
    ]);
  });

  it.each([
    ['another branch', { ref: 'refs/heads/feature-1' }],
    ['a tag', { ref: 'refs/tags/v2.0.0' }],
    ['a deleted branch', { after: '0'.repeat(40) }],
  ])('a push to %s judges nothing again, without a request', async (_what, change) => {
    const r = twoPullRequests();
    const after = moveMain(r, RESTRICT_SLACK(r.repo));

    const res = await app.deliver('push', pushPayload({ before: r.base, after, ...change }));

    expect(res.status, res.body).toBe(200);
    expect(github.requests).toEqual([]);
    expect(graphql.calls).toEqual([]);
  });

  it('a redelivered push judges nothing twice', async () => {
    const r = twoPullRequests();
    // Only a connector: the merge record has no app to record, so both steps settle the delivery as handled.
    const after = moveMain(r, {
      write: {
        'connectors/slack_post_messages.yaml': r.repo
          .read('connectors/slack_post_messages.yaml')
          .replace('status: preapproved', 'status: restricted'),
      },
    });
    servePush(github, graphql, r, r.base, after, listed(r, [2]));
    serveJudging(r, 2, after, { token: true });
    const checks = expectCheckRuns(OWNER, REPO, 1);
    const payload = pushPayload({ before: r.base, after });

    const res = await app.deliver('push', payload);
    expect(res.status, res.body).toBe(200);
    const requests = github.requests.length;
    const again = await app.deliver('push', payload, { id: res.id });

    expect(again.status, again.body).toBe(200);
    expect(checks.sent).toHaveLength(1);
    expect(github.requests.length, 'not a single request').toBe(requests);
  });
});

describe('app: judging again is bounded per push', () => {
  const app = useAppServer({ logs: true, app: () => createMicroappsApp({ rejudge: { maxPullRequests: 2 } }) });

  it('101 open pull requests (two pages): the 2 most recently updated are judged again; the 99 others get a failed check saying so, and a warning names them', async () => {
    const r = twoPullRequests();
    const after = moveMain(r, RESTRICT_SLACK(r.repo));
    const numbers = [2, 1, ...Array.from({ length: 99 }, (_, i) => 3 + i)];
    const items = listed(r, numbers);
    servePush(github, graphql, r, r.base, after, items);
    serveJudging(r, 1, after, { token: true, teams: { [SECURITY_TEAM]: ['security-alice'] } });
    serveJudging(r, 2, after);
    // The configuration is read once more, for the name of the check the others get.
    github.reply('GET', CONFIG_PATH, 404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest/repos/contents#get-repository-content',
    });
    const checks = expectCheckRuns(OWNER, REPO, 2 + 99);

    const res = await app.deliver('push', pushPayload({ before: r.base, after }));

    expect(res.status, res.body).toBe(200);
    expect(github.requests).toEqual(expect.arrayContaining([`GET ${openPullsPath('main', 1)}`, `GET ${openPullsPath('main', 2)}`]));
    expect(checks.problems).toEqual([]);
    const judged = checks.sent.filter((c) => c.head_sha === r.heads[1] || c.head_sha === r.heads[2]);
    expect(judged.map((c) => c.head_sha).sort()).toEqual([r.heads[1], r.heads[2]].sort());
    // A green check on the old main cannot stay: each of the others now fails, saying why.
    const marked = checks.sent.filter((c) => !judged.includes(c));
    expect(marked.map((c) => c.head_sha).sort()).toEqual(
      items
        .slice(2)
        .map((i) => i.head.sha)
        .sort(),
    );
    for (const c of nonEmptyList(marked, 'the checks marked')) {
      expect(c).toMatchObject({ name: 'micro-app approval', status: 'completed', conclusion: 'failure' });
      expect(c.output!.title).toBe('main changed: this pull request is waiting to be judged again');
      expect(c.output!.summary).toContain('Until it is judged again the earlier verdict does not count.');
    }
    expect(github.requests.filter((q) => /\/pulls\/\d+$/.test(q)).sort()).toEqual([
      `GET /repos/${OWNER}/${REPO}/pulls/1`,
      `GET /repos/${OWNER}/${REPO}/pulls/2`,
    ]);
    const warnings = app.logs.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toMatch(
      /101 open pull requests target main, more than the 2 judged again per push; #3, #4, .* and 89 more were not judged again: their checks say so and no longer pass/,
    );
  });
});

/** A KeyedQueue that lets a test wait until work for a key has been asked for n times. */
class WatchedQueue extends KeyedQueue {
  readonly joined: string[] = [];
  private readonly waiters: Array<{ key: string; count: number; resolve: () => void }> = [];

  override join<T>(key: string, task: () => Promise<T>): Promise<T> {
    this.joined.push(key);
    const result = super.join(key, task);
    for (const w of [...this.waiters]) {
      if (this.joined.filter((k) => k === w.key).length >= w.count) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
    return result;
  }

  /** Resolves once `key` has been joined `count` times. */
  until(key: string, count: number): Promise<void> {
    if (this.joined.filter((k) => k === key).length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ key, count, resolve }));
  }
}

/** A promise and the function that settles it. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('app: one evaluation of a pull request at a time', () => {
  let queue: WatchedQueue;
  const app = useAppServer({
    logs: true,
    app: () => {
      queue = new WatchedQueue();
      return createMicroappsApp({ queue });
    },
  });
  const KEY = `${OWNER}/${REPO}#1`.toLowerCase();

  it('three pushes in quick succession: the second waits until the first evaluation has written everything, and the third joins the second (two checks, the last on the newest main)', async () => {
    const r = twoPullRequests();
    const b = moveMain(r, RESTRICT_SLACK(r.repo), 'first merge');
    const c = moveMain(
      r,
      { write: { 'registry/it/laptop-refresh-tracker.yaml': `${r.repo.read('registry/it/laptop-refresh-tracker.yaml')}# again\n` } },
      'second merge',
    );
    const d = moveMain(
      r,
      { write: { 'connectors/jira_read_only.yaml': `${r.repo.read('connectors/jira_read_only.yaml')}# noted\n` } },
      'third merge',
    );
    servePush(github, graphql, r, r.base, b, listed(r, [1]));
    servePush(github, graphql, r, b, c, listed(r, [1]));
    servePush(github, graphql, r, c, d, listed(r, [1]));
    const held = gate();
    const arrived = gate();
    // The first evaluation waits at its first read until the other pushes have asked for theirs.
    serveJudging(r, 1, b, {
      token: true,
      teams: { [SECURITY_TEAM]: ['security-alice'] },
      pullHold: () => {
        arrived.open();
        return held.promise;
      },
    });
    const checks = expectCheckRuns(OWNER, REPO, 2);
    let atSecondStart: { checks: number; comments: number } | undefined;
    const followUps = serveJudging(r, 1, d, {
      teams: { [SECURITY_TEAM]: ['security-alice'] },
      pullHold: async () => {
        atSecondStart = { checks: checks.sent.length, comments: followUps.commentsCreated.length };
      },
    });

    const first = app.deliver('push', pushPayload({ before: r.base, after: b }));
    await arrived.promise;
    const second = app.deliver('push', pushPayload({ before: b, after: c }));
    await queue.until(KEY, 2);
    const third = app.deliver('push', pushPayload({ before: c, after: d }));
    await queue.until(KEY, 3);
    held.open();
    const answers = await Promise.all([first, second, third]);

    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(pullReads(github, 1), 'two evaluations for three pushes').toHaveLength(2);
    expect(atSecondStart, 'the second evaluation began after the first had published its check and its comment').toEqual({
      checks: 1,
      comments: 1,
    });
    expect(checks.sent.map((s) => [s.head_sha, s.conclusion])).toEqual([
      [r.heads[1], 'failure'],
      [r.heads[1], 'failure'],
    ]);
    expect(github.requests, 'the second judged #1 on the newest main').toContain(
      `GET ${r.fake.path(`/compare/${d}...${r.heads[1]}?per_page=1`)}`,
    );
    expect(followUps.commentsCreated).toHaveLength(2);
  });
});

describe('app: a pull request that cannot be judged again does not stop the others', () => {
  const app = useAppServer({ logs: true });

  it('#1 cannot be read (404): it gets a failed check on the head GitHub listed, #2 is judged, and the delivery is answered 200', async () => {
    const r = twoPullRequests();
    const after = moveMain(r, RESTRICT_SLACK(r.repo));
    servePush(github, graphql, r, r.base, after, listed(r, [1, 2]));
    github.reply('GET', `/repos/${OWNER}/${REPO}/pulls/1`, 404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest/pulls/pulls#get-a-pull-request',
    });
    serveJudging(r, 2, after, { token: true });
    const checks = expectCheckRuns(OWNER, REPO, 2);

    const res = await app.deliver('push', pushPayload({ before: r.base, after }));

    expect(res.status, res.body).toBe(200);
    const [one] = checksOn(checks.sent, r.heads[1]!);
    const [two] = checksOn(checks.sent, r.heads[2]!);
    expect(one).toMatchObject({ conclusion: 'failure' });
    expect(one!.output!.title).toBe('The approval check could not run');
    expect(one!.output!.summary).toContain(res.id);
    expect(two).toMatchObject({ conclusion: 'success' });
  });

  it('#1 cannot be read and its failed check cannot be published either: #2 is judged all the same, then the delivery fails (500) and the error is logged', async () => {
    const r = twoPullRequests();
    const after = moveMain(r, RESTRICT_SLACK(r.repo));
    servePush(github, graphql, r, r.base, after, listed(r, [1, 2]));
    github.reply('GET', `/repos/${OWNER}/${REPO}/pulls/1`, 404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest/pulls/pulls#get-a-pull-request',
    });
    // Only #1's failed check is refused.
    nock(API)
      .post(`/repos/${OWNER}/${REPO}/check-runs`, (body: { head_sha?: string }) => body.head_sha === r.heads[1])
      .reply(403, {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/checks/runs#create-a-check-run',
      });
    serveJudging(r, 2, after, { token: true });
    const checks = expectCheckRuns(OWNER, REPO, 1);

    const res = await app.deliver('push', pushPayload({ before: r.base, after }));

    expect(res.status).toBe(500);
    expect(JSON.parse(res.body)).toEqual({ error: `the App could not handle delivery ${res.id}; see its logs` });
    expect(checks.sent.map((c) => [c.head_sha, c.conclusion])).toEqual([[r.heads[2], 'success']]);
    const errors = app.logs
      .filter((l) => l.level === 'error')
      .map((l) => l.msg)
      .join('\n');
    expect(errors).toMatch(
      /1 of 2 open pull requests could not be judged again after the push to main .*#1: .*Resource not accessible by integration/,
    );
  });

  it('the open pull requests cannot be listed: the delivery fails (500) with the reason logged, and a redelivery judges them', async () => {
    const r = twoPullRequests();
    const after = moveMain(r, RESTRICT_SLACK(r.repo));
    serveToken(github);
    servePush(github, graphql, r, r.base, after);
    github.reply(
      'GET',
      openPullsPath(),
      403,
      {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/pulls/pulls#list-pull-requests',
      },
      { undescribedAnswer: true },
    );
    const payload = pushPayload({ before: r.base, after });

    const res = await app.deliver('push', payload);

    expect(res.status).toBe(500);
    expect(
      app.logs.some(
        (l) => l.level === 'error' && /open pull requests could not be listed.*Resource not accessible by integration/.test(l.msg),
      ),
    ).toBe(true);

    // GitHub's "Redeliver" (the same id): judging again was not settled as handled, so it runs again
    // (so does the merge record, which without an audit key is not settled either).
    servePush(github, graphql, r, r.base, after, listed(r, [2]));
    captureFollowUps();
    serveJudging(r, 2, after);
    const checks = expectCheckRuns(OWNER, REPO, 1);
    const again = await app.deliver('push', payload, { id: res.id });

    expect(again.status, again.body).toBe(200);
    expect(checks.sent.map((c) => [c.head_sha, c.conclusion])).toEqual([[r.heads[2], 'success']]);
  });
});
