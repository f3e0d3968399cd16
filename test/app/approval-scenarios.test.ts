/**
 * Approval semantics through the App's real HTTP path (DESIGN.md section 4, invariant 7; issue 4's
 * Tests): signed deliveries POSTed to the App's HTTP front, GitHub's API served by nock from a
 * real temporary registry repository (serve-evaluation.ts; every request and answer checked
 * against GitHub's OpenAPI description, an unexpected request or an unused mock fails the test).
 * Each scenario asserts the check run the App sends: its conclusion, its title, and what its
 * summary says about who counts and who does not (read back with readSummary).
 *
 * A scenario with several deliveries serves each evaluation afresh (the App re-fetches
 * everything on every event); the installation token is cached by Probot after the first.
 */
import { describe, expect, it } from 'vitest';
import { ANNOTATIONS_PER_REQUEST } from '../../src/app/evaluation/check-run.js';
import { WHY } from '../../src/core/approvals/index.js';
import { ALL_SCOPES_CODE } from '../../src/core/check/connector-hints.js';
import { MAX_ANNOTATIONS } from '../../src/core/render/check-annotations.js';
import { useGitHubMock } from '../adapters/github/mock-github.js';
import { createSeededRepo, useTempRepos, type FileMap } from '../helpers/git-repo.js';
import { fixture } from '../helpers/paths.js';
import { configuredReviewers, managerReviewers } from '../helpers/shipped.js';
import { useAppServer } from './app-server.js';
import { expectCheckRunUpdates, expectCheckRuns, type CheckRunCapture, type SentCheckRun } from './check-runs.js';
import { examplePayload } from './deliveries.js';
import type { FollowUps } from './follow-ups.js';
import { review } from './github-bodies.js';
import { batchFromRepo, commitBy, commitMany, push, readSummary, serveManyBlobs } from './scenario-github.js';
import {
  AUTHOR,
  OWNER,
  REPO,
  plain,
  pullRequestOf,
  serveEvaluation as evaluate,
  type EvaluationOptions,
  type ServedPullRequest,
} from './serve-evaluation.js';

useTempRepos();
const github = useGitHubMock();
const app = useAppServer();

/** What the App did after the check run (review requests, labels, comment) in the latest evaluation served. */
let followUps: FollowUps | undefined;
const serveEvaluation = (pr: ServedPullRequest, options?: EvaluationOptions) => (followUps = evaluate(github, pr, options));

/** Everyone the App asked for a review so far in this test. */
const requestedReviewers = () => (followUps?.reviewRequests ?? []).flatMap((r) => r.reviewers ?? []);

/** The shipped policy's reviewers: the HR owner's manager, the security and governance teams ("org/slug"). */
const MANAGER = plain(managerReviewers('hr-team@example.com')[0]!);
const SECURITY = plain(configuredReviewers('security_team_review')[0]!);
const GOVERNANCE = plain(configuredReviewers('governance')[0]!);

/** Section titles of the summary. */
const MANAGER_APPROVAL = "Owner's manager";
const SECURITY_REVIEW = 'Security team';
const GOVERNANCE_REVIEW = 'Governance approvers';

/** A production app reading HR data with pii: rules 002 (manager) and 003 (security). */
const HR_APP = 'registry/hr/team-anniversaries.yaml';
const HR_MANIFEST = fixture('apps/team-anniversaries.yaml');
const hrPullRequest = () => pullRequestOf({ [HR_APP]: HR_MANIFEST });

const approved = (id: number, login: string, commitId: string) => review({ id, login, state: 'APPROVED', commitId });

/** Delivers `event`.`action` (GitHub's example payload) and returns the one check run the App sent for it. */
async function judge(event: 'pull_request' | 'pull_request_review', action: string): Promise<SentCheckRun> {
  const checks = expectCheckRuns(OWNER, REPO);
  const res = await app.deliver(event, examplePayload(event, action));
  expect(res.status, res.body).toBe(200);
  expect(checks.problems).toEqual([]);
  expect(followUps?.problems ?? []).toEqual([]);
  expect(checks.sent).toHaveLength(1);
  return checks.sent[0]!;
}

/** The check run's summary, within GitHub's limit, as data. */
function summaryOf(run: SentCheckRun) {
  const summary = run.output?.summary ?? '';
  expect(summary.length).toBeGreaterThan(0);
  expect(summary.length).toBeLessThanOrEqual(65_535);
  return readSummary(summary);
}

describe('app scenarios: the manager and the security team are both required', () => {
  it.each([
    {
      first: 'the manager',
      order: [MANAGER, 'security-alice'],
      waiting: 'security team',
      stillMissing: SECURITY_REVIEW,
      given: MANAGER_APPROVAL,
    },
    {
      first: 'the security team',
      order: ['security-alice', MANAGER],
      waiting: "owner's manager",
      stillMissing: MANAGER_APPROVAL,
      given: SECURITY_REVIEW,
    },
  ])(
    '$first approves first: the check waits for the other, then passes when both approved',
    async ({ order, waiting, stillMissing, given }) => {
      const pr = hrPullRequest();
      const teams = { [SECURITY]: ['security-alice', 'security-bob'] };

      // One approval given.
      serveEvaluation(pr, { teams, reviews: [approved(11, order[0]!, pr.headSha)] });
      const one = await judge('pull_request_review', 'submitted');
      expect(one).toMatchObject({ head_sha: pr.headSha, status: 'completed', conclusion: 'failure' });
      expect(one.output!.title).toBe(`Waiting for approval: ${waiting}`);
      const first = summaryOf(one);
      expect(first.decision).toBe('needs a security team review');
      expect(first.approvals[given]).toMatchObject({ icon: '✅', approvedBy: [order[0]] });
      expect(first.approvals[stillMissing]).toMatchObject({ icon: '⏳', approvedBy: [] });
      expect(first.approvals[stillMissing]!.stillNeeded).toContain(
        stillMissing === SECURITY_REVIEW ? `a member of @${SECURITY}` : `@${MANAGER}`,
      );
      expect(first.approvals[SECURITY_REVIEW]!.canApprove).toEqual(['security-alice', 'security-bob']);
      expect(first.approvals[MANAGER_APPROVAL]!.canApprove).toEqual([MANAGER]);
      expect(first.notCounting).toEqual({});

      // Both given (the App fetches everything again).
      serveEvaluation(pr, { token: false, teams, reviews: [approved(11, order[0]!, pr.headSha), approved(12, order[1]!, pr.headSha)] });
      const both = await judge('pull_request_review', 'submitted');
      expect(both).toMatchObject({ head_sha: pr.headSha, status: 'completed', conclusion: 'success' });
      expect(both.output!.title).toBe('All required approvals given');
      const second = summaryOf(both);
      expect(second.approvals[MANAGER_APPROVAL]).toMatchObject({ icon: '✅', approvedBy: [MANAGER] });
      expect(second.approvals[SECURITY_REVIEW]).toMatchObject({ icon: '✅', approvedBy: ['security-alice'] });
      expect(second.notCounting).toEqual({});
    },
  );
});

describe('app scenarios: the author of the pull request never counts', () => {
  it('the author approves their own pull request: ignored, and the summary says so', async () => {
    const pr = hrPullRequest();
    serveEvaluation(pr, {
      teams: { [SECURITY]: ['security-alice'] },
      reviews: [approved(11, AUTHOR, pr.headSha), approved(12, MANAGER, pr.headSha)],
    });
    const run = await judge('pull_request_review', 'submitted');

    expect(run).toMatchObject({ head_sha: pr.headSha, conclusion: 'failure' });
    expect(run.output!.title).toBe('Waiting for approval: security team');
    const view = summaryOf(run);
    expect(view.approvals[MANAGER_APPROVAL]).toMatchObject({ icon: '✅', approvedBy: [MANAGER] });
    expect(view.approvals[SECURITY_REVIEW]).toMatchObject({ icon: '⏳', approvedBy: [], canApprove: ['security-alice'] });
    expect(view.notCounting).toEqual({ [AUTHOR]: WHY.author });
    expect(requestedReviewers()).not.toContain(AUTHOR);
  });

  it('the author is in the security team: their approval does not give the security review, and they are not offered as a reviewer', async () => {
    const pr = hrPullRequest();
    serveEvaluation(pr, {
      teams: { [SECURITY]: [AUTHOR, 'security-bob'] },
      reviews: [approved(11, MANAGER, pr.headSha), approved(12, AUTHOR, pr.headSha)],
    });
    const run = await judge('pull_request_review', 'submitted');

    expect(run).toMatchObject({ head_sha: pr.headSha, conclusion: 'failure' });
    expect(run.output!.title).toBe('Waiting for approval: security team');
    const view = summaryOf(run);
    expect(view.approvals[SECURITY_REVIEW]).toMatchObject({ icon: '⏳', approvedBy: [], canApprove: ['security-bob'] });
    expect(view.notCounting).toEqual({ [AUTHOR]: WHY.author });
    expect(requestedReviewers()).not.toContain(AUTHOR);
  });

  it('the author is the only member of the security team: nobody can give the security review', async () => {
    const pr = hrPullRequest();
    serveEvaluation(pr, {
      teams: { [SECURITY]: [AUTHOR] },
      reviews: [approved(11, MANAGER, pr.headSha), approved(12, AUTHOR, pr.headSha)],
    });
    const run = await judge('pull_request_review', 'submitted');

    expect(run).toMatchObject({ head_sha: pr.headSha, conclusion: 'failure' });
    expect(run.output!.title).toBe('Nobody can give the security team approval: ask the platform team');
    const view = summaryOf(run);
    expect(view.approvals[SECURITY_REVIEW]).toMatchObject({ icon: '⛔', approvedBy: [], canApprove: [] });
    expect(view.approvals[SECURITY_REVIEW]!.stillNeeded).toMatch(/^nobody is left to give the security review/);
    expect(view.notCounting).toEqual({ [AUTHOR]: WHY.author });
  });
});

describe('app scenarios: nobody who wrote or committed a commit of the pull request counts', () => {
  /** The HR app, then a second commit (a description change) on the pull request. */
  function twoCommits(): { pr: ServedPullRequest; first: string } {
    const opened = hrPullRequest();
    const pr = push(opened, { write: { [HR_APP]: HR_MANIFEST.replace('work anniversaries.', 'work anniversaries, on the day.') } });
    return { pr, first: opened.headSha };
  }

  it('a security team member authored a commit: their approval does not give the security review', async () => {
    const { pr, first } = twoCommits();
    serveEvaluation(pr, {
      teams: { [SECURITY]: ['security-alice', 'security-carol'] },
      commits: [commitBy(first, AUTHOR), commitBy(pr.headSha, 'security-carol', AUTHOR)],
      reviews: [approved(11, MANAGER, pr.headSha), approved(12, 'security-carol', pr.headSha)],
    });
    const run = await judge('pull_request_review', 'submitted');

    expect(run).toMatchObject({ head_sha: pr.headSha, conclusion: 'failure' });
    expect(run.output!.title).toBe('Waiting for approval: security team');
    const view = summaryOf(run);
    expect(view.approvals[MANAGER_APPROVAL]).toMatchObject({ icon: '✅', approvedBy: [MANAGER] });
    expect(view.approvals[SECURITY_REVIEW]).toMatchObject({ icon: '⏳', approvedBy: [], canApprove: ['security-alice'] });
    expect(view.notCounting).toEqual({ 'security-carol': WHY.committer });
  });

  it('the manager committed a commit someone else wrote: their approval does not count, and nobody else can give it', async () => {
    const { pr, first } = twoCommits();
    serveEvaluation(pr, {
      teams: { [SECURITY]: ['security-alice'] },
      commits: [commitBy(first, AUTHOR), commitBy(pr.headSha, AUTHOR, MANAGER)],
      reviews: [approved(11, MANAGER, pr.headSha), approved(12, 'security-alice', pr.headSha)],
    });
    const run = await judge('pull_request_review', 'submitted');

    expect(run).toMatchObject({ head_sha: pr.headSha, conclusion: 'failure' });
    expect(run.output!.title).toBe("Nobody can give the owner's manager approval: ask the platform team");
    const view = summaryOf(run);
    expect(view.approvals[MANAGER_APPROVAL]).toMatchObject({ icon: '⛔', approvedBy: [], canApprove: [] });
    expect(view.approvals[MANAGER_APPROVAL]!.stillNeeded).toMatch(/^nobody is left to give the owner's manager's approval/);
    expect(view.approvals[SECURITY_REVIEW]).toMatchObject({ icon: '✅', approvedBy: ['security-alice'] });
    expect(view.notCounting).toEqual({ [MANAGER]: WHY.committer });
  });
});

describe('app scenarios: approvals and later pushes', () => {
  const teams = { [SECURITY]: ['security-alice'] };
  const bothApproved = (sha: string) => [approved(11, MANAGER, sha), approved(12, 'security-alice', sha)];

  /** Delivery 1: both approved the pull request's first commit, which is its head: the check passes. */
  async function approvedFirstCommit(): Promise<ServedPullRequest> {
    const pr = hrPullRequest();
    serveEvaluation(pr, { teams, reviews: bothApproved(pr.headSha) });
    const run = await judge('pull_request_review', 'submitted');
    expect(run).toMatchObject({ head_sha: pr.headSha, conclusion: 'success' });
    return pr;
  }

  /** Delivery 2, after a push on top of `first`: the approvals are on `first`, whose tree is served for its fingerprint. */
  function serveAfterPush(first: ServedPullRequest, pr: ServedPullRequest): void {
    serveEvaluation(pr, {
      token: false,
      teams,
      reviews: bothApproved(first.headSha),
      commits: [commitBy(first.headSha, AUTHOR), commitBy(pr.headSha, AUTHOR)],
    });
    pr.fake.serveListing(github, first.headSha);
  }

  it('a push that changes the manifest: the approvals were given on the older commit and no longer count', async () => {
    const first = await approvedFirstCommit();
    const pr = push(first, { write: { [HR_APP]: HR_MANIFEST.replace('retention_days: 90', 'retention_days: 120') } });

    serveAfterPush(first, pr);
    const run = await judge('pull_request', 'synchronize');

    expect(run).toMatchObject({ head_sha: pr.headSha, conclusion: 'failure' });
    expect(run.output!.title).toBe("Waiting for approval: owner's manager and security team");
    const view = summaryOf(run);
    expect(view.approvals[MANAGER_APPROVAL]).toMatchObject({ icon: '⏳', approvedBy: [], canApprove: [MANAGER] });
    expect(view.approvals[SECURITY_REVIEW]).toMatchObject({ icon: '⏳', approvedBy: [], canApprove: ['security-alice'] });
    expect(view.notCounting).toEqual({ [MANAGER]: WHY.stale, 'security-alice': WHY.stale });
  });

  it('a push that leaves the governed files unchanged (README, docs): the approvals still count', async () => {
    const first = await approvedFirstCommit();
    const pr = push(first, {
      write: { 'README.md': '# test registry\n\nHow to add an app.\n', 'docs/adding-an-app.md': '# Adding an app\n' },
    });
    expect(pr.fake.treeOf(pr.headSha)).not.toBe(pr.fake.treeOf(first.headSha));

    serveAfterPush(first, pr);
    const run = await judge('pull_request', 'synchronize');

    expect(run).toMatchObject({ head_sha: pr.headSha, conclusion: 'success' });
    expect(run.output!.title).toBe('All required approvals given');
    const view = summaryOf(run);
    expect(view.approvals[MANAGER_APPROVAL]).toMatchObject({ icon: '✅', approvedBy: [MANAGER] });
    expect(view.approvals[SECURITY_REVIEW]).toMatchObject({ icon: '✅', approvedBy: ['security-alice'] });
    expect(view.notCounting).toEqual({});
  });
});

describe('app scenarios: team membership is resolved at every evaluation', () => {
  it('a reviewer removed from the security team no longer counts', async () => {
    const pr = hrPullRequest();
    const reviews = [approved(11, MANAGER, pr.headSha), approved(12, 'security-bob', pr.headSha)];

    serveEvaluation(pr, { teams: { [SECURITY]: ['security-alice', 'security-bob'] }, reviews });
    const before = await judge('pull_request_review', 'submitted');
    expect(before).toMatchObject({ head_sha: pr.headSha, conclusion: 'success' });
    expect(summaryOf(before).approvals[SECURITY_REVIEW]).toMatchObject({ icon: '✅', approvedBy: ['security-bob'] });

    // security-bob leaves the team; the next event re-reads the team.
    serveEvaluation(pr, { token: false, teams: { [SECURITY]: ['security-alice'] }, reviews });
    const after = await judge('pull_request', 'synchronize');

    expect(after).toMatchObject({ head_sha: pr.headSha, conclusion: 'failure' });
    expect(after.output!.title).toBe('Waiting for approval: security team');
    const view = summaryOf(after);
    expect(view.approvals[SECURITY_REVIEW]).toMatchObject({ icon: '⏳', approvedBy: [], canApprove: ['security-alice'] });
    expect(view.approvals[MANAGER_APPROVAL]).toMatchObject({ icon: '✅', approvedBy: [MANAGER] });
    expect(Object.keys(view.notCounting)).toEqual(['security-bob']);
    expect(view.notCounting['security-bob']).toMatch(/^is not .*in @example-org\/security/);
  });
});

describe('app scenarios: a pull request that edits the policy is judged by the base policy', () => {
  /** The PR's own policy: everything auto-approved, and its own friends as approvers. */
  const APPROVE_EVERYTHING = [
    'default_action: auto_approve',
    'approvers:',
    '  manager_approval: { users: [citizen-friend] }',
    '  security_team_review: { users: [citizen-friend] }',
    '  governance: { users: [citizen-friend] }',
    'policy:',
    '  - id: 001',
    '    name: approve_everything',
    '    conditions:',
    '      - environment == "production" or environment == "sandbox"',
    '    action: auto_approve',
    '    message: Every app is approved automatically.',
    '',
  ].join('\n');

  it('auto-approve-everything policy plus a production HR app: still the manager and security, plus the governance approvers', async () => {
    const pr = pullRequestOf({ 'policies/approval.yaml': APPROVE_EVERYTHING, [HR_APP]: HR_MANIFEST });
    const teams = { [SECURITY]: ['security-alice'], [GOVERNANCE]: ['gov-grace'] };

    // The PR's own approver approves: nothing counts.
    serveEvaluation(pr, { teams, reviews: [approved(11, 'citizen-friend', pr.headSha)] });
    const run = await judge('pull_request', 'opened');
    expect(run).toMatchObject({ head_sha: pr.headSha, conclusion: 'failure' });
    expect(run.output!.title).toBe("Waiting for approval: owner's manager, security team and governance approvers");
    const view = summaryOf(run);
    expect(view.decision).toBe('needs a security team review');
    expect(view.approvals[MANAGER_APPROVAL]).toMatchObject({ icon: '⏳', approvedBy: [], canApprove: [MANAGER] });
    expect(view.approvals[SECURITY_REVIEW]).toMatchObject({ icon: '⏳', approvedBy: [], canApprove: ['security-alice'] });
    expect(view.approvals[GOVERNANCE_REVIEW]).toMatchObject({ icon: '⏳', approvedBy: [], canApprove: ['gov-grace'] });
    expect(Object.keys(view.notCounting)).toEqual(['citizen-friend']);
    expect(view.notCounting['citizen-friend']).toMatch(/^is not /);

    // The base policy's approvers approve: it passes.
    serveEvaluation(pr, {
      token: false,
      teams,
      reviews: [
        approved(11, 'citizen-friend', pr.headSha),
        approved(12, MANAGER, pr.headSha),
        approved(13, 'security-alice', pr.headSha),
        approved(14, 'gov-grace', pr.headSha),
      ],
    });
    const passed = await judge('pull_request_review', 'submitted');
    expect(passed).toMatchObject({ head_sha: pr.headSha, conclusion: 'success' });
    expect(passed.output!.title).toBe('All required approvals given');
    const after = summaryOf(passed);
    expect(after.approvals[GOVERNANCE_REVIEW]).toMatchObject({ icon: '✅', approvedBy: ['gov-grace'] });
    expect(Object.keys(after.notCounting)).toEqual(['citizen-friend']);
  });
});

describe('app scenarios: a 5,000-file pull request', () => {
  // Thousands of GitHub requests in one evaluation: no retry plugin (see AppServerOptions) and serveManyBlobs.
  const fast = useAppServer({ retries: false });
  const FILES = 5_000;
  /** A bound on the whole test (5,000 files on two busy cores), not a deadline inside it. */
  const BIG_TIMEOUT_MS = 180_000;

  /**
   * Delivers and waits until the App is done: Probot answers a delivery that takes over 9 s with
   * 202 and goes on, so then await the check run and the explaining comment (its last step
   * here), so no request of this delivery outlives the test's mocks. No clock: on a slow machine
   * the test takes longer, it does not fail.
   */
  async function judgeBig(checks: CheckRunCapture, after: FollowUps): Promise<SentCheckRun> {
    const res = await fast.deliver('pull_request', examplePayload('pull_request', 'opened'));
    expect([200, 202], res.body).toContain(res.status);
    await Promise.all([checks.first, after.commentCreated]);
    expect(checks.problems).toEqual([]);
    expect(after.problems).toEqual([]);
    expect(checks.sent).toHaveLength(1);
    // The explaining comment is the delivery's last step: it ran to the end.
    expect(after.commentsCreated).toHaveLength(1);
    return checks.sent[0]!;
  }

  type Annotation = { path: string; annotation_level: string; title: string };
  const annotationsOf = (run: SentCheckRun | { output?: unknown }): Annotation[] =>
    (run.output as { annotations?: Annotation[] } | undefined)?.annotations ?? [];

  /** serveEvaluation, with the blobs answered by one interceptor (serveManyBlobs). */
  function serveBig(pr: ServedPullRequest, options: EvaluationOptions) {
    const blobs = serveManyBlobs(github, pr.fake);
    return { blobs, after: evaluate(blobs.github, pr, options) };
  }

  const bulkName = (i: number) => `bulk-app-${String(i).padStart(4, '0')}`;

  it(
    '5,000 new apps: the one beyond the first 3,000 in path order decides the check (manager and security)',
    async () => {
      const repo = createSeededRepo();
      const sandbox = fixture('apps/standup-notes-bot.yaml');
      const write: FileMap = {};
      // 4,999 sandbox apps that are approved automatically, all before the HR app in path order.
      // Owned by Finance, whose folder (registry/finance/) sorts before registry/hr/.
      const financeSandbox = sandbox.replace('owner: it-platform@example.com', 'owner: finance-team@example.com');
      for (let i = 0; i < FILES - 1; i++)
        write[`registry/finance/${bulkName(i)}.yaml`] = financeSandbox.replace('name: standup-notes-bot', `name: ${bulkName(i)}`);
      write[HR_APP] = HR_MANIFEST;
      const paths = Object.keys(write).sort();
      expect(paths).toHaveLength(FILES);
      expect(paths.indexOf(HR_APP)).toBe(FILES - 1);
      commitMany(repo, write);
      const pr = batchFromRepo(repo);

      const { blobs, after } = serveBig(pr, { teams: { [SECURITY]: ['security-alice'] } });
      const checks = expectCheckRuns(OWNER, REPO);
      const run = await judgeBig(checks, after);

      expect(run).toMatchObject({ head_sha: pr.headSha, conclusion: 'failure' });
      expect(run.output!.title).toBe("Waiting for approval: owner's manager and security team");
      const view = summaryOf(run);
      expect(view.decision).toBe('needs a security team review');
      expect(view.approvals[MANAGER_APPROVAL]).toMatchObject({ icon: '⏳', canApprove: [MANAGER] });
      expect(view.approvals[SECURITY_REVIEW]).toMatchObject({ icon: '⏳', canApprove: ['security-alice'] });
      expect(run.output!.text!.length).toBeLessThanOrEqual(65_535);
      // One request to GitHub (no update mocked): the HR app's review notices first, then the
      // advice on connectors listed by their id alone, only as far as the first 50 go.
      const annotations = annotationsOf(run);
      expect(annotations).toHaveLength(ANNOTATIONS_PER_REQUEST);
      expect(annotations[0]).toMatchObject({ path: HR_APP, annotation_level: 'notice' });
      expect(
        annotations.filter((a) => a.annotation_level !== 'notice'),
        'advice is not a warning',
      ).toEqual([]);
      expect(annotations.filter((a) => a.path !== HR_APP).every((a) => a.title === `microapps: ${ALL_SCOPES_CODE}`)).toBe(true);
      // Every new manifest was read (and the base's policy, directory and connectors), each request checked.
      expect(blobs.problems).toEqual([]);
      expect(blobs.answered()).toBeGreaterThanOrEqual(FILES);
    },
    BIG_TIMEOUT_MS,
  );

  it(
    '5,000 new production apps of 1,000 owners: 1,001 required approvals, and the summary stays within 65,535 characters',
    async () => {
      const OWNERS = 1_000;
      const repo = createSeededRepo();
      // The base directory knows 1,000 more owners, each with their own manager.
      const owner = (i: number) => String(i % OWNERS).padStart(4, '0');
      repo.write(
        'policies/owners.yaml',
        `${repo.read('policies/owners.yaml').trimEnd()}\n${Array.from({ length: OWNERS }, (_, i) => owner(i))
          .map((n) => `  bulk-${n}@example.com:\n    name: Bulk ${n}\n    team: example-org/bulk-${n}\n    managers: [bulk-manager-${n}]\n`)
          .join('')}`,
      );
      repo.commit('a thousand owners');
      // In production, not on the pre-approved path: the policy's default, the owner's manager.
      const production = fixture('apps/standup-notes-bot.yaml').replace('environment: sandbox', 'environment: production');
      const write: FileMap = {};
      for (let i = 0; i < FILES - 1; i++) {
        write[`registry/bulk/${bulkName(i)}.yaml`] = production
          .replace('name: standup-notes-bot', `name: ${bulkName(i)}`)
          .replace('owner: it-platform@example.com', `owner: bulk-${owner(i)}@example.com`);
      }
      // The only app that needs the security team, last in path order.
      write[HR_APP] = HR_MANIFEST;
      commitMany(repo, write);
      const pr = batchFromRepo(repo);

      const { blobs, after } = serveBig(pr, { teams: { [SECURITY]: ['security-alice'] } });
      const checks = expectCheckRuns(OWNER, REPO);
      // Every app that needs a review gets a notice, capped: the rest of the batches after the first.
      const updates = expectCheckRunUpdates(OWNER, REPO, MAX_ANNOTATIONS / ANNOTATIONS_PER_REQUEST - 1);
      const run = await judgeBig(checks, after);

      expect(run).toMatchObject({ head_sha: pr.headSha, conclusion: 'failure' });
      // The security team is needed only because of the last app.
      expect(run.output!.title).toBe("Waiting for approval: owner's manager and security team");
      const summary = run.output!.summary;
      expect(summary.length).toBeLessThanOrEqual(65_535);
      expect(run.output!.text!.length).toBeLessThanOrEqual(65_535);
      expect(readSummary(summary).heading).toBe("Waiting for approval: owner's manager and security team");
      // Far more than fits: one line per approval, cut with a note; every kind still in sight.
      expect(summary).toContain("This summary was cut to fit GitHub's size limit.");
      expect(summary).toContain("- ⏳ Owner's manager: still needed: an approval from `@bulk-manager-0000`");
      expect(summary).toContain('- ⏳ Security team: still needed: an approval from a member of `@example-org/security`');
      expect(updates.problems).toEqual([]);
      expect(updates.sent).toHaveLength(MAX_ANNOTATIONS / ANNOTATIONS_PER_REQUEST - 1);
      // All 500 are the apps' review notices: advice on connectors listed by their id never takes their place.
      const all = [run, ...updates.sent].flatMap(annotationsOf);
      expect(all).toHaveLength(MAX_ANNOTATIONS);
      expect(all.filter((a) => a.title === `microapps: ${ALL_SCOPES_CODE}` || a.annotation_level !== 'notice')).toEqual([]);
      expect(blobs.problems).toEqual([]);
      expect(blobs.answered()).toBeGreaterThanOrEqual(FILES);
    },
    BIG_TIMEOUT_MS,
  );
});
