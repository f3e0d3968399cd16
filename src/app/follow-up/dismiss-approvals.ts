/**
 * The other side of approve_auto_approved: the App's own approving review stands only while the
 * App would give it now. When an evaluation finds the pull request no longer auto-approved (a
 * push GitHub does not dismiss stale reviews for, or judging it again when the default branch
 * moved), the App dismisses its own approvals still standing on it, with a message saying why.
 * Only reviews by the App's own account are touched, never anyone else's; a review already
 * dismissed (state DISMISSED) is not dismissed again.
 */
import type { GitHubClient } from '../../adapters/github/index.js';
import type { GateOutcome, PrReview } from '../../core/approvals/index.js';
import type { CheckReport } from '../../core/check/report.js';
import type { PullRequestRef } from '../delivery/events.js';

/** The App's reviews still approving: the ones to dismiss. */
export function standingOwnApprovals(reviews: readonly PrReview[], botLogin: string): PrReview[] {
  const bot = botLogin.toLowerCase();
  return reviews.filter((r) => r.state === 'APPROVED' && r.user?.toLowerCase() === bot);
}

/** Plain words, from the decision and the gate's title (which holds no untrusted text). */
export function dismissalMessage(report: Pick<CheckReport, 'decision'>, gate: GateOutcome, approveAutoApproved: boolean): string {
  const see = 'See the micro-app approval check for what it needs now.';
  if (!approveAutoApproved) {
    return `Automatic approval is switched off in this repository's App configuration, so this approval no longer stands: a person must approve. ${see}`;
  }
  const why =
    report.decision === 'no_changes'
      ? 'the pull request no longer changes any registry files.'
      : report.decision === 'deny'
        ? 'the policy does not allow this change.'
        : report.decision === 'invalid'
          ? 'some files have errors.'
          : report.decision === 'auto_approve'
            ? `${lowerFirst(gate.title)}.`
            : `it now needs approval (${lowerFirst(gate.title)}).`;
  return `The registry policy no longer auto-approves this change: ${why} ${see}`;
}

export async function dismissOwnApprovals(
  octokit: GitHubClient,
  ref: PullRequestRef,
  options: { reviews: readonly PrReview[]; botLogin: string; message: string },
): Promise<number> {
  const standing = standingOwnApprovals(options.reviews, options.botLogin);
  for (const review of standing) {
    await octokit.request('PUT /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/dismissals', {
      owner: ref.owner,
      repo: ref.repo,
      pull_number: ref.pullNumber,
      review_id: review.id,
      message: options.message,
      event: 'DISMISS',
    });
  }
  return standing.length;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
