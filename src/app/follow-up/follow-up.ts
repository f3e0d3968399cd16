/**
 * What the App does after publishing the check, for the people on the pull request: request the
 * missing reviews, label the decision, keep the explaining comment, (when configured) approve
 * an auto-approved change, and dismiss the App's own approval of one that no longer is. These
 * help people; the check run alone is the gate. So each step is tried on its own and a failure
 * is logged and reported (the delivery may then be redelivered) without touching the published
 * check. Nothing happens on a closed pull request.
 */
import type { PagingGitHubClient } from '../../adapters/github/index.js';
import { planReviewRequests } from '../../core/approvals/index.js';
import { renderPullRequestComment } from '../../core/render/approvals/index.js';
import { planLabels, type AppConfig } from '../../core/app-config/index.js';
import type { PullRequestRef } from '../delivery/events.js';
import type { Evaluation } from '../evaluation/evaluate-pull-request.js';
import { reasonOf } from '../delivery/failure.js';
import type { PullRequestState } from '../reads/pull-request.js';
import { approveAutoApproved } from './approve-auto-approved.js';
import { dismissalMessage, dismissOwnApprovals } from './dismiss-approvals.js';
import { requestReviews } from './request-reviews.js';
import { syncLabels } from './sync-labels.js';
import { upsertComment } from './upsert-comment.js';

export interface FollowUpLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface FollowUpContext {
  octokit: PagingGitHubClient;
  ref: PullRequestRef;
  pr: PullRequestState;
  config: AppConfig;
  evaluation: Evaluation;
  /** The App's own account ("slug[bot]"), looked up once. */
  botLogin: () => Promise<string>;
  log: FollowUpLog;
}

/** Runs every step; returns the ones that failed, with why. */
export async function followUp(ctx: FollowUpContext): Promise<string[]> {
  const { octokit, ref, pr, config, evaluation, log } = ctx;
  if (!pr.open) return [];
  const { report, status, gate, snapshot } = evaluation;
  // The App's approving review stands only while the App would give it now.
  const approves = config.approveAutoApproved && gate.pass && report.decision === 'auto_approve';
  const steps: Array<[string, boolean, () => Promise<unknown>]> = [
    [
      'review requests',
      config.requestReviews && gate.pass === false,
      () =>
        requestReviews(
          octokit,
          ref,
          planReviewRequests(status, snapshot, {
            repoOwner: ref.owner,
            requestedUsers: pr.requestedUsers,
            requestedTeams: pr.requestedTeams,
          }),
          log,
        ),
    ],
    ['labels', true, () => syncLabels(octokit, ref, planLabels(report.decision, config.labels, pr.labels))],
    [
      'comment',
      config.comment,
      async () =>
        upsertComment(octokit, ref, renderPullRequestComment(status, report, { checkName: config.checkName, headSha: pr.headSha }), {
          botLogin: await ctx.botLogin(),
          createIfMissing: report.decision !== 'no_changes',
        }),
    ],
    [
      'approving review',
      approves,
      async () => approveAutoApproved(octokit, ref, { headSha: pr.headSha, reviews: snapshot.reviews, botLogin: await ctx.botLogin() }),
    ],
    // Looks the App's account up only when someone's approval stands.
    [
      'dismissing its approving review',
      !approves && snapshot.reviews.some((r) => r.state === 'APPROVED'),
      async () =>
        dismissOwnApprovals(octokit, ref, {
          reviews: snapshot.reviews,
          botLogin: await ctx.botLogin(),
          message: dismissalMessage(report, gate, config.approveAutoApproved),
        }),
    ],
  ];
  const failed: string[] = [];
  for (const [name, wanted, run] of steps) {
    if (!wanted) continue;
    try {
      await run();
    } catch (error) {
      failed.push(`${name}: ${reasonOf(error)}`);
      log.warn(`${name} failed: ${reasonOf(error)}`);
    }
  }
  return failed;
}
