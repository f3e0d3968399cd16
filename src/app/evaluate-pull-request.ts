/**
 * One evaluation of a pull request, everything fetched fresh: the policy check (base, merge
 * base, head through the Git Data API), then the reviews, commits, team members and governed
 * fingerprints, then the approval gate. Returns what the check run shows.
 */
import type { GitHubClient } from '../adapters/github/index.js';
import { approvalGate, evaluateApprovals, renderApprovalStatus, type PullRequestSnapshot } from '../core/approvals/index.js';
import type { CheckRunResult } from './check-run.js';
import type { PullRequestRef } from './events.js';
import { fetchCommits } from './fetch-commits.js';
import { fetchReviews } from './fetch-reviews.js';
import { fetchTeamMembers } from './fetch-teams.js';
import { fetchFingerprints } from './fingerprints.js';
import { judgePullRequest } from './judge-pull-request.js';
import type { PullRequestState } from './pull-request.js';

export async function evaluatePullRequest(octokit: GitHubClient, ref: PullRequestRef, pr: PullRequestState): Promise<CheckRunResult> {
  const { report, head } = await judgePullRequest(octokit, ref, pr);
  const required = report.required_approvals ?? [];
  const [reviews, { commits, pushers }, teamMembers] = await Promise.all([
    fetchReviews(octokit, ref),
    fetchCommits(octokit, ref),
    fetchTeamMembers(octokit, required),
  ]);
  const governedFingerprint = await fetchFingerprints(octokit, ref, head, reviews);
  const snapshot: PullRequestSnapshot = { author: pr.author, headSha: pr.headSha, reviews, commits, pushers, governedFingerprint, teamMembers };
  const status = evaluateApprovals(required, snapshot);
  const gate = approvalGate(status, report);
  return {
    headSha: pr.headSha,
    conclusion: gate.pass ? 'success' : 'failure',
    title: gate.title,
    summary: renderApprovalStatus(status, report),
  };
}
