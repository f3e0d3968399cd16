/**
 * The App under faults (issue 9, section 8), through its real HTTP front with signed deliveries
 * and GitHub mocked by nock: rate limits, an error that quotes the request's credentials,
 * writes of two installations, a redelivery that arrives while the first delivery runs, and a
 * bad signature. The App's Octokit sleeps through an injected function (app.sleeps records the
 * waits), so no test waits on the clock.
 */
import { randomUUID } from 'node:crypto';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { API, useGitHubMock } from '../adapters/github/mock-github.js';
import { useTempRepos } from '../helpers/git-repo.js';
import { fixture } from '../helpers/paths.js';
import { useAppServer } from './app-server.js';
import { expectCheckRuns } from './check-runs.js';
import { examplePayload } from './deliveries.js';
import { captureFollowUps } from './follow-ups.js';
import { checkRun, installationToken, pullRequest } from './github-bodies.js';
import { branchHeadAnswer, useGraphQLMock } from './graphql-mock.js';
import { makeAuditKey, mergedRegistry, pushPayload, serveOpenPulls, servePushTrees } from './merge-scenario.js';
import { AUTHOR, CONFIG_PATH, NUMBER, OWNER, PRS, REPO, pullRequestOf, serveEvaluation, serveToken } from './serve-evaluation.js';

useTempRepos();
const github = useGitHubMock();
const graphql = useGraphQLMock();
/** The App's clock for rate-limit waits, set by a test: a wait is then exact, however slow the machine. */
let clock: number | undefined;
const app = useAppServer({ logs: true, now: () => clock ?? Date.now() });
beforeEach(() => {
  clock = undefined;
});

const TOKEN = installationToken().token as string;
const DOCS = 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api';
const SECONDARY = {
  message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
  documentation_url: DOCS,
};
const PRIMARY = { message: 'API rate limit exceeded for installation ID 1.', documentation_url: DOCS };

const sandboxPullRequest = () => pullRequestOf({ 'registry/it/standup-notes-bot.yaml': fixture('apps/standup-notes-bot.yaml') });
const opened = () => examplePayload('pull_request', 'opened');
const warnings = () => app.logs.filter((l) => l.level === 'warn' || l.level === 'error' || l.level === 'fatal');

/** A promise and the function that settles it. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('app: rate limits are waited out and retried, on every call', () => {
  it('a secondary limit (403 with retry-after) on a read: waits as asked, retries, and the check is the real verdict', async () => {
    const pr = sandboxPullRequest();
    github.reply('GET', CONFIG_PATH, 403, SECONDARY, { headers: { 'retry-after': '7' } });
    serveEvaluation(github, pr);
    const checks = expectCheckRuns(OWNER, REPO);

    const res = await app.deliver('pull_request', opened());

    expect(res.status, res.body).toBe(200);
    expect(checks.sent).toHaveLength(1);
    expect(checks.sent[0]).toMatchObject({ head_sha: pr.headSha, conclusion: 'success' });
    expect(app.sleeps).toEqual([7000]);
    expect(github.requests.filter((r) => r.includes('microapps.yml'))).toHaveLength(2);
    expect(warnings().map((l) => l.msg)).toEqual([expect.stringMatching(/rate limit on GET .*contents.*retrying in 7 s \(retry 1 of 3\)/)]);
  });

  it('a secondary limit (429 with retry-after) on a write: the check run is published on the retry', async () => {
    const pr = sandboxPullRequest();
    serveEvaluation(github, pr);
    // GitHub's description lists no 429 for this operation; any endpoint can answer it.
    nock(API).post(`/repos/${OWNER}/${REPO}/check-runs`).reply(429, SECONDARY, { 'retry-after': '2' });
    const checks = expectCheckRuns(OWNER, REPO);

    const res = await app.deliver('pull_request', opened());

    expect(res.status, res.body).toBe(200);
    expect(checks.sent).toHaveLength(1);
    expect(checks.sent[0]).toMatchObject({ conclusion: 'success' });
    expect(app.sleeps).toEqual([2000]);
  });

  it.each([403, 429])(
    'a primary limit (%i, x-ratelimit-remaining: 0): waits until just past x-ratelimit-reset, then retries',
    async (status) => {
      const pr = sandboxPullRequest();
      clock = Date.now();
      const reset = Math.ceil(clock / 1000) + 3;
      github.reply('GET', PRS, status, PRIMARY, {
        undescribedAnswer: true,
        headers: {
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(reset),
          'x-ratelimit-resource': 'core',
        },
      });
      serveEvaluation(github, pr);
      const checks = expectCheckRuns(OWNER, REPO);

      const res = await app.deliver('pull_request', opened());

      expect(res.status, res.body).toBe(200);
      expect(checks.sent[0]).toMatchObject({ head_sha: pr.headSha, conclusion: 'success' });
      expect(app.sleeps).toHaveLength(1);
      // Until the reset, plus one second.
      expect(app.sleeps[0]).toBe(reset * 1000 - clock + 1000);
    },
  );

  it('still limited after 3 retries: the check fails naming the rate limit, after 3 waits', async () => {
    const pr = sandboxPullRequest();
    serveToken(github);
    github.reply(
      'GET',
      PRS,
      200,
      pullRequest({ owner: OWNER, repo: REPO, number: NUMBER, author: AUTHOR, baseSha: pr.baseSha, headSha: pr.headSha }),
    );
    github.reply('GET', CONFIG_PATH, 403, SECONDARY, { headers: { 'retry-after': '1' }, times: 4 });
    const checks = expectCheckRuns(OWNER, REPO);

    const res = await app.deliver('pull_request', opened());

    expect(res.status, res.body).toBe(200);
    expect(app.sleeps).toEqual([1000, 1000, 1000]);
    expect(checks.sent).toHaveLength(1);
    expect(checks.sent[0]).toMatchObject({
      head_sha: pr.headSha,
      conclusion: 'failure',
      output: { title: 'The approval check could not run' },
    });
    expect(checks.sent[0]!.output!.summary).toMatch(/secondary rate limit.*gave up after 3 retries/s);
  });

  it('asked to wait longer than the 60 s a request may wait in total: no wait at all, the check fails saying so', async () => {
    const pr = sandboxPullRequest();
    serveToken(github);
    github.reply(
      'GET',
      PRS,
      200,
      pullRequest({ owner: OWNER, repo: REPO, number: NUMBER, author: AUTHOR, baseSha: pr.baseSha, headSha: pr.headSha }),
    );
    github.reply('GET', CONFIG_PATH, 403, SECONDARY, { headers: { 'retry-after': '61' } });
    const checks = expectCheckRuns(OWNER, REPO);

    const res = await app.deliver('pull_request', opened());

    expect(res.status, res.body).toBe(200);
    expect(app.sleeps).toEqual([]);
    expect(checks.sent[0]).toMatchObject({ conclusion: 'failure' });
    expect(checks.sent[0]!.output!.summary).toMatch(/gave up after 0 retries; it asked to wait 61 s more, over the 60 s allowed/);
  });

  it('a 403 that is not a rate limit (a missing permission) is not retried', async () => {
    const pr = sandboxPullRequest();
    serveToken(github);
    github.reply(
      'GET',
      PRS,
      200,
      pullRequest({ owner: OWNER, repo: REPO, number: NUMBER, author: AUTHOR, baseSha: pr.baseSha, headSha: pr.headSha }),
    );
    github.reply('GET', CONFIG_PATH, 403, { message: 'Resource not accessible by integration', documentation_url: DOCS });
    const checks = expectCheckRuns(OWNER, REPO);

    expect((await app.deliver('pull_request', opened())).status).toBe(200);
    expect(app.sleeps).toEqual([]);
    expect(checks.sent[0]).toMatchObject({ conclusion: 'failure' });
  });
});

describe("app: a rate limit on GitHub's GraphQL API (HTTP 200, an error of type RATE_LIMITED)", () => {
  afterEach(() => vi.unstubAllEnvs());

  it('push: the branch-head query is waited out until x-ratelimit-reset and retried', async () => {
    const m = mergedRegistry();
    vi.stubEnv('MICROAPPS_AUDIT_PRIVATE_KEY', m.key.privateKey);
    // Only generated/ changes: the App reads both trees and stops (nothing to record).
    m.repo.write('generated/gateway/kong.yaml', '_format_version: "3.0"\n');
    const after = m.repo.commit('generated only');
    serveToken(github);
    const reset = Math.ceil(Date.now() / 1000) + 3;
    nock(API)
      .post('/graphql')
      .reply(
        200,
        { data: null, errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for installation ID 1.' }] },
        {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(reset),
        },
      );
    graphql.answer('MicroappsBranchHead', branchHeadAnswer(after));
    m.fake.serveListing(github, m.after);
    m.fake.serveListing(github, after);
    // Judging open pull requests again reads the policy for its governance paths, and finds none changed.
    m.fake.serveBlobsOf(github, after);

    const res = await app.deliver('push', pushPayload({ before: m.after, after }));

    expect(res.status, res.body).toBe(200);
    expect(graphql.calls.map((c) => c.operation)).toEqual(['MicroappsBranchHead']);
    expect(app.sleeps).toHaveLength(1);
    expect(app.sleeps[0]).toBeGreaterThan(1000);
    expect(app.sleeps[0]).toBeLessThanOrEqual(5000);
  });
});

describe("app: an error that quotes the request's credentials never leaves the App", () => {
  const echo = `Forbidden by the proxy. Request: {"authorization":"token ${TOKEN}"} Authorization: token ${TOKEN}`;
  beforeEach(() => vi.stubEnv('MICROAPPS_AUDIT_PRIVATE_KEY', makeAuditKey().privateKey));
  afterEach(() => vi.unstubAllEnvs());

  const expectRedacted = (res: { status: number; body: string }, id: string) => {
    expect(res.status, "an internal failure is 500, not the upstream's 403").toBe(500);
    expect(res.body).not.toContain(TOKEN);
    expect(JSON.parse(res.body)).toEqual({ error: `the App could not handle delivery ${id}; see its logs` });
    const logged = app.logs.map((l) => l.raw).join('\n');
    expect(logged.length).toBeGreaterThan(0);
    expect(logged, 'the token is in no log line').not.toContain(TOKEN);
    expect(logged).toContain('[redacted]');
  };

  it("push: GitHub's 403 quoting the Authorization header: 500, a neutral body, the token in neither body nor log", async () => {
    const m = mergedRegistry();
    serveToken(github);
    graphql.answer('MicroappsBranchHead', { message: echo, documentation_url: DOCS }, 403);
    // Judging the open pull requests again does not wait for the record: it reads both trees and finds none.
    servePushTrees(github, m);
    serveOpenPulls(github);

    const res = await app.deliver('push', pushPayload({ before: m.before, after: m.after }));

    expectRedacted(res, res.id);
  });

  it('pull request: the read and the failed check both fail quoting the header: the same', async () => {
    serveToken(github);
    github.reply('GET', PRS, 403, { message: echo, documentation_url: DOCS }, { undescribedAnswer: true });
    nock(API).post(`/repos/${OWNER}/${REPO}/check-runs`).reply(403, { message: echo, documentation_url: DOCS });

    const res = await app.deliver('pull_request', opened());

    expectRedacted(res, res.id);
  });
});

describe('app: writes wait per installation, never for another installation', () => {
  it("a write of installation 1 held by GitHub does not hold up installation 2's delivery", async () => {
    const other = { owner: 'other-org', repo: 'other-registry' };
    const payloadA = opened();
    const payloadB = opened();
    payloadB.installation.id = 2;
    payloadB.repository = {
      ...payloadB.repository,
      name: other.repo,
      full_name: `${other.owner}/${other.repo}`,
      owner: { ...payloadB.repository.owner, login: other.owner },
    };
    const notFound = { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' };
    // Each delivery: its token, its pull request (404), and the failed check on the payload's head (the write).
    serveToken(github);
    github.reply('POST', '/app/installations/2/access_tokens', 201, { ...installationToken(), token: 'ghs_second_installation_token' });
    github.reply('GET', PRS, 404, notFound);
    github.reply('GET', `/repos/${other.owner}/${other.repo}/pulls/${NUMBER}`, 404, notFound);
    const held = gate();
    const arrived = gate();
    const sample = { name: 'micro-app approval', head_sha: '0'.repeat(40), status: 'completed', conclusion: 'failure' };
    const json = { 'content-type': 'application/json; charset=utf-8' };
    nock(API)
      .post(`/repos/${OWNER}/${REPO}/check-runs`)
      .reply(async () => {
        arrived.open();
        await held.promise;
        return [201, JSON.stringify(checkRun(sample)), json];
      });
    nock(API)
      .post(`/repos/${other.owner}/${other.repo}/check-runs`)
      .reply(201, JSON.stringify(checkRun(sample)), json);

    const a = app.deliver('pull_request', payloadA);
    let aSettled = false;
    void a.then(() => (aSettled = true));
    await arrived.promise;
    // With one limiter for every installation, this delivery would wait for installation 1's write.
    const b = await app.deliver('pull_request', payloadB);

    expect(b.status, b.body).toBe(200);
    expect(aSettled, "installation 1's write is still held").toBe(false);
    held.open();
    expect((await a).status).toBe(200);
  });
});

describe('app: the spacing of writes is per installation', () => {
  const spaced = useAppServer({ logs: true, writeGapMs: 60_000 });
  const json = { 'content-type': 'application/json; charset=utf-8' };
  const notFound = { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' };
  const sample = { name: 'micro-app approval', head_sha: '0'.repeat(40), status: 'completed', conclusion: 'failure' };

  /** A delivery whose pull request is gone (404): its one write is the failed check on the payload's head. */
  function failingDelivery(installation: number, owner: string, repo: string) {
    const payload = opened();
    payload.installation.id = installation;
    payload.repository = {
      ...payload.repository,
      name: repo,
      full_name: `${owner}/${repo}`,
      owner: { ...payload.repository.owner, login: owner },
    };
    github.reply('GET', `/repos/${owner}/${repo}/pulls/${NUMBER}`, 404, notFound);
    nock(API)
      .post(`/repos/${owner}/${repo}/check-runs`)
      .reply(201, JSON.stringify(checkRun(sample)), json);
    return payload;
  }

  it("the next write of installation 1 waits out the gap; installation 2's first write in between does not", async () => {
    serveToken(github);
    github.reply('POST', '/app/installations/2/access_tokens', 201, { ...installationToken(), token: 'ghs_second_installation_token' });

    expect((await spaced.deliver('pull_request', failingDelivery(1, OWNER, REPO))).status).toBe(200);
    expect((await spaced.deliver('pull_request', failingDelivery(2, 'other-org', 'other-registry'))).status).toBe(200);
    expect(spaced.sleeps, 'installation 2 waits for no write of installation 1').toEqual([]);
    expect((await spaced.deliver('pull_request', failingDelivery(1, OWNER, 'another-registry'))).status).toBe(200);

    expect(spaced.sleeps).toHaveLength(1);
    expect(spaced.sleeps[0]).toBeGreaterThan(0);
    expect(spaced.sleeps[0]).toBeLessThanOrEqual(60_000);
  });
});

describe('app: a redelivery that arrives while the first delivery is handled', () => {
  it('is answered 503 (GitHub records it as not handled); the first then fails, and a later redelivery handles the event', async () => {
    const pr = sandboxPullRequest();
    const id = randomUUID();
    const held = gate();
    const arrived = gate();
    serveToken(github);
    github.reply(
      'GET',
      PRS,
      502,
      { message: 'Bad Gateway', documentation_url: 'https://docs.github.com/rest' },
      {
        undescribedAnswer: true,
        times: 4,
        hold: () => {
          arrived.open();
          return held.promise;
        },
      },
    );
    const failed = expectCheckRuns(OWNER, REPO);

    const first = app.deliver('pull_request', opened(), { id });
    await arrived.promise;
    const during = await app.deliver('pull_request', opened(), { id });
    held.open();

    expect(during.status).toBe(503);
    expect(JSON.parse(during.body).error).toBe(
      `delivery ${id} is still being handled by an earlier delivery of the same id; redeliver it once that one has finished`,
    );
    expect((await first).status).toBe(200);
    expect(failed.sent[0]).toMatchObject({ conclusion: 'failure' });

    serveEvaluation(github, pr, { token: false });
    captureFollowUps();
    const checks = expectCheckRuns(OWNER, REPO);
    const again = await app.deliver('pull_request', opened(), { id });
    expect(again.status, again.body).toBe(200);
    expect(checks.sent[0]).toMatchObject({ head_sha: pr.headSha, conclusion: 'success' });
  });

  it('is answered 503; the first succeeds, and a later redelivery is answered 200 and does nothing', async () => {
    const pr = sandboxPullRequest();
    const id = randomUUID();
    const held = gate();
    const arrived = gate();
    serveEvaluation(github, pr, {
      pullHold: () => {
        arrived.open();
        return held.promise;
      },
    });
    const checks = expectCheckRuns(OWNER, REPO);

    const first = app.deliver('pull_request', opened(), { id });
    await arrived.promise;
    const during = await app.deliver('pull_request', opened(), { id });
    held.open();

    expect(during.status).toBe(503);
    expect((await first).status).toBe(200);
    expect(checks.sent).toHaveLength(1);
    const requests = github.requests.length;
    const again = await app.deliver('pull_request', opened(), { id });
    expect(again.status).toBe(200);
    expect(github.requests).toHaveLength(requests);
    expect(app.logs.some((l) => l.msg === `delivery ${id} was already handled: ignored`)).toBe(true);
  });
});

describe('app: a bad webhook signature', () => {
  it.each([
    ['a wrong signature', { secret: 'not-the-secret' }, /its signature does not match/],
    ['no signature', { signature: '' }, /it has no X-Hub-Signature-256 header/],
  ])('%s: 401, one warning line without a stack trace, no GitHub call', async (_what, options, reason) => {
    const res = await app.deliver('pull_request', opened(), options);

    expect(res.status).toBe(401);
    const lines = warnings();
    expect(lines).toHaveLength(1);
    expect(lines[0]!.level).toBe('warn');
    expect(lines[0]!.msg).toMatch(reason);
    expect(lines[0]!.msg).toContain(`webhook delivery ${res.id} (pull_request) refused`);
    expect(lines[0]!.msg).toContain('WEBHOOK_SECRET');
    expect(lines[0]!.raw).not.toMatch(/stack|"err"/);
    expect(github.requests).toEqual([]);
  });
});
