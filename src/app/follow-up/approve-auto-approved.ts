/**
 * When configured (approve_auto_approved), the App submits an approving review on a pull
 * request the policy auto-approves, once per head commit, so that branch protection's "required
 * approving reviews" is met without a person. The App's approval never counts for an approval
 * the policy requires (it is not among the reviewers), and it is only given when none is required.
 * When the pull request is no longer auto-approved, dismiss-approvals.ts withdraws it.
 */
import type { GitHubClient } from '../../adapters/github/index.js';
import type { PrReview } from '../../core/approvals/index.js';
import type { PullRequestRef } from '../delivery/events.js';

export const AUTO_APPROVAL_BODY =
  'Approved automatically: the registry policy auto-approves this change (see the micro-app approval check for why). ' +
  'A new push that changes the registry files is judged again.';

export async function approveAutoApproved(
  octokit: GitHubClient,
  ref: PullRequestRef,
  options: { headSha: string; reviews: readonly PrReview[]; botLogin: string },
): Promise<boolean> {
  const bot = options.botLogin.toLowerCase();
  const already = options.reviews.some((r) => r.user?.toLowerCase() === bot && r.state === 'APPROVED' && r.commitId === options.headSha);
  if (already) return false;
  await octokit.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
    owner: ref.owner,
    repo: ref.repo,
    pull_number: ref.pullNumber,
    commit_id: options.headSha,
    event: 'APPROVE',
    body: AUTO_APPROVAL_BODY,
  });
  return true;
}
