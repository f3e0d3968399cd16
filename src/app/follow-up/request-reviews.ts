/**
 * Asks for the reviews still missing (POST .../pulls/{n}/requested_reviewers): users by login,
 * teams by slug, as planned by the core (never the author, never twice). GitHub refuses (422)
 * someone who cannot review in the repository, such as a manager without access: that is said
 * in the log and the comment's approval list still names them; the gate is not affected.
 */
import { statusOf, type GitHubClient } from '../../adapters/github/index.js';
import type { ReviewRequestPlan } from '../../core/approvals/index.js';
import type { PullRequestRef } from '../delivery/events.js';
import type { FollowUpLog } from './follow-up.js';

export async function requestReviews(octokit: GitHubClient, ref: PullRequestRef, plan: ReviewRequestPlan, log: FollowUpLog): Promise<void> {
  for (const why of plan.skipped) log.info(`not requesting a review: ${why}`);
  if (plan.users.length === 0 && plan.teams.length === 0) return;
  try {
    await octokit.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers', {
      owner: ref.owner,
      repo: ref.repo,
      pull_number: ref.pullNumber,
      reviewers: plan.users,
      team_reviewers: plan.teams,
    });
    log.info(`requested reviews from ${[...plan.users.map((u) => `@${u}`), ...plan.teams.map((t) => `team ${t}`)].join(', ')}`);
  } catch (error) {
    if (statusOf(error) !== 422) throw error;
    log.warn(
      `GitHub refused the review requests (${plan.users.join(', ')} ${plan.teams.join(', ')}): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
