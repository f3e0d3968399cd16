/**
 * One delivery, end to end: re-fetch the pull request, evaluate it, publish the check run.
 * Any error ends in a failed check run naming the reason and the delivery id; the check is
 * never left in progress. When the pull request itself cannot be fetched, the failed check
 * goes on the head commit the payload names (a failure grants nothing, so that is safe).
 * If even that cannot be published, the error is rethrown: Probot answers the delivery with
 * 500 and GitHub's delivery log shows it.
 */
import type { GitHubClient } from '../adapters/github/index.js';
import { publishCheckRun } from './check-run.js';
import type { PullRequestRef } from './events.js';
import { evaluatePullRequest } from './evaluate-pull-request.js';
import { failedCheck, reasonOf } from './failure.js';
import { fetchPullRequest } from './pull-request.js';

export interface DeliveryContext {
  octokit: GitHubClient;
  ref: PullRequestRef;
  deliveryId: string;
  /** The payload's head sha, used only for a failed check when the PR cannot be fetched. */
  payloadHeadSha: string | undefined;
  log: { info(message: string): void; error(message: string): void };
}

export async function handleDelivery(ctx: DeliveryContext): Promise<void> {
  const { octokit, ref, deliveryId, log } = ctx;
  const where = `${ref.owner}/${ref.repo}#${ref.pullNumber} (delivery ${deliveryId})`;
  let headSha: string | undefined;
  try {
    const pr = await fetchPullRequest(octokit, ref);
    headSha = pr.headSha;
    const result = await evaluatePullRequest(octokit, ref, pr);
    await publishCheckRun(octokit, ref, result);
    log.info(`${where}: ${result.conclusion}: ${result.title}`);
  } catch (error) {
    log.error(`${where}: ${reasonOf(error)}`);
    const sha = headSha ?? ctx.payloadHeadSha;
    if (!sha) throw error;
    await publishCheckRun(octokit, ref, failedCheck(sha, error, deliveryId));
  }
}
