/**
 * One pull request, end to end: re-fetch it, read the App's configuration from the default
 * branch, evaluate, publish the check run, then the follow-up steps (src/app/follow-up/).
 * Any error before the check is published ends in a failed check run naming the reason and the
 * delivery id: the check is never left in progress. When the pull request itself cannot be
 * fetched, the failed check goes on the head commit the payload names (a failure grants
 * nothing, so that is safe). If even that cannot be published, the error is rethrown: Probot
 * answers the delivery with 500 and GitHub's delivery log shows it.
 *
 * Returns whether everything was done; if not, a redelivery of the same webhook is allowed to
 * try again (see delivery-ledger.ts).
 */
import type { BlobCache, PagingGitHubClient } from '../../adapters/github/index.js';
import { CHECK_NAME, publishCheckRun } from '../evaluation/check-run.js';
import { fetchAppConfig } from '../reads/config.js';
import type { PullRequestRef } from './events.js';
import { evaluatePullRequest } from '../evaluation/evaluate-pull-request.js';
import { failedCheck, reasonOf } from './failure.js';
import { followUp, type FollowUpLog } from '../follow-up/follow-up.js';
import { fetchPullRequest } from '../reads/pull-request.js';

export interface DeliveryContext {
  octokit: PagingGitHubClient;
  ref: PullRequestRef;
  deliveryId: string;
  /** The payload's head sha, used only for a failed check when the PR cannot be fetched. */
  payloadHeadSha: string | undefined;
  botLogin: () => Promise<string>;
  /** Blobs read by earlier deliveries (content-addressed, so never stale). */
  blobCache?: BlobCache;
  log: FollowUpLog & { error(message: string): void };
}

export type DeliveryOutcome = 'done' | 'incomplete';

export async function handlePullRequest(ctx: DeliveryContext): Promise<DeliveryOutcome> {
  const { octokit, ref, deliveryId, log } = ctx;
  const where = `${ref.owner}/${ref.repo}#${ref.pullNumber} (delivery ${deliveryId})`;
  let headSha: string | undefined;
  let checkName = CHECK_NAME;
  try {
    const pr = await fetchPullRequest(octokit, ref);
    headSha = pr.headSha;
    const config = await fetchAppConfig(octokit, ref, pr.defaultBranch);
    checkName = config.checkName;
    const evaluation = await evaluatePullRequest(octokit, ref, pr, ctx.blobCache);
    await publishCheckRun(octokit, ref, checkName, evaluation.check);
    log.info(`${where}: ${evaluation.check.conclusion}: ${evaluation.check.title}`);
    const failed = await followUp({ octokit, ref, pr, config, evaluation, botLogin: ctx.botLogin, log: prefixed(log, where) });
    return failed.length === 0 ? 'done' : 'incomplete';
  } catch (error) {
    log.error(`${where}: ${reasonOf(error)}`);
    const sha = headSha ?? ctx.payloadHeadSha;
    if (!sha) throw error;
    await publishCheckRun(octokit, ref, checkName, failedCheck(sha, error, deliveryId));
    return 'incomplete';
  }
}

function prefixed(log: FollowUpLog, where: string): FollowUpLog {
  return { info: (m) => log.info(`${where}: ${m}`), warn: (m) => log.warn(`${where}: ${m}`) };
}
