/**
 * An owner transfer through the App's real HTTP path (issue 9, section 3): handing a sandbox app
 * to another owner is never approved automatically, and the gate waits for a manager of EACH
 * owner; one side's manager alone cannot hand the app over. GitHub is served by nock from a real
 * temporary repository (serve-evaluation.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useGitHubMock } from '../adapters/github/mock-github.js';
import { useTempRepos } from '../helpers/git-repo.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { managerReviewers } from '../helpers/shipped.js';
import { useAppServer } from './app-server.js';
import { expectCheckRuns, type SentCheckRun } from './check-runs.js';
import { examplePayload } from './deliveries.js';
import type { FollowUps } from './follow-ups.js';
import { review } from './github-bodies.js';
import { readSummary } from './scenario-github.js';
import { OWNER, REPO, plain, pullRequestOf, serveEvaluation, type ServedPullRequest } from './serve-evaluation.js';

useTempRepos();
const github = useGitHubMock();
const app = useAppServer();

const APP = 'registry/finance/expense-report-dashboard.yaml';
const FROM = 'finance-team@example.com';
const TO = 'finance-systems@example.com';
const OLD_MANAGER = plain(managerReviewers(FROM)[0]!);
const NEW_MANAGER = plain(managerReviewers(TO)[0]!);

function transferPullRequest(repoText: (path: string) => string): ServedPullRequest {
  return pullRequestOf({ [APP]: repoText(APP).replace(`owner: ${FROM}`, `owner: ${TO}`) });
}

async function judge(pr: ServedPullRequest, reviews: unknown[], token: boolean): Promise<{ run: SentCheckRun; after: FollowUps }> {
  const after = serveEvaluation(github, pr, { reviews, token });
  const checks = expectCheckRuns(OWNER, REPO);
  const res = await app.deliver('pull_request_review', examplePayload('pull_request_review', 'submitted'));
  expect(res.status, res.body).toBe(200);
  expect(checks.problems).toEqual([]);
  expect(after.problems).toEqual([]);
  expect(checks.sent).toHaveLength(1);
  return { run: checks.sent[0]!, after };
}

describe('app: an owner transfer needs a manager of both owners', () => {
  it('a sandbox app handed to another team waits for both managers; one alone does not pass it', async () => {
    const pr = transferPullRequest((p) => readFileSync(join(REPO_ROOT, p), 'utf8'));
    expect(OLD_MANAGER).not.toBe(NEW_MANAGER);

    const { run: none, after } = await judge(pr, [], true);
    expect(none).toMatchObject({ head_sha: pr.headSha, conclusion: 'failure' });
    expect(after.reviewsSubmitted).toEqual([]);
    const view = readSummary(none.output!.summary!);
    expect(view.decision).toBe("needs the owner's manager to approve");
    expect(none.output!.title).toBe(`Waiting for approval: manager of the old owner, ${FROM} and manager of the new owner, ${TO}`);
    expect(view.approvals[`Manager of the old owner, ${FROM}`]).toMatchObject({ icon: '⏳', approvedBy: [] });
    expect(view.approvals[`Manager of the new owner, ${TO}`]).toMatchObject({ icon: '⏳', canApprove: [NEW_MANAGER] });
    expect(view.approvals[`Manager of the old owner, ${FROM}`]!.canApprove).toContain(OLD_MANAGER);
    // Both managers are asked, and the summary says why in plain words.
    const asked = after.reviewRequests.flatMap((r) => r.reviewers ?? []);
    expect(asked).toContain(OLD_MANAGER);
    expect(asked).toContain(NEW_MANAGER);

    const { run: one } = await judge(pr, [review({ id: 11, login: NEW_MANAGER, state: 'APPROVED', commitId: pr.headSha })], false);
    expect(one.conclusion).toBe('failure');
    expect(one.output!.title).toBe(`Waiting for approval: manager of the old owner, ${FROM}`);
    expect(readSummary(one.output!.summary!).approvals[`Manager of the new owner, ${TO}`]).toMatchObject({
      icon: '✅',
      approvedBy: [NEW_MANAGER],
    });

    const { run: both } = await judge(
      pr,
      [
        review({ id: 11, login: NEW_MANAGER, state: 'APPROVED', commitId: pr.headSha }),
        review({ id: 12, login: OLD_MANAGER, state: 'APPROVED', commitId: pr.headSha }),
      ],
      false,
    );
    expect(both.conclusion).toBe('success');
  });
});
