/**
 * When the default branch moves, the open pull requests into it are judged again (issue 9,
 * section 1; DESIGN.md section 4): each is judged against its base, so a check that was green
 * on the old base must not stay green on the new one (a connector restricted, the policy made
 * stricter, an app of the same name merged, the app changed on main since the branch was made).
 *
 *   1. Only a push to the default branch that names its commits (not a tag, a new or a deleted
 *      branch: merge/push-event.ts decides, as for recording the merge);
 *   2. what the push changed, from the two tree listings (shared with the merge record, so
 *      no extra request): nothing a verdict depends on (only audit/ and generated/, the App's own
 *      merge record; or only files the registry does not govern) -> nothing to do
 *      (core/check/base-moved.ts). When the trees cannot be compared, the pull requests are
 *      judged again anyway: a needless evaluation is cheap, a stale green check is not;
 *   3. the open pull requests into the branch (open-pull-requests.ts), at most `maxPullRequests`
 *      of them, the most recently updated first; the rest are named in a warning;
 *   4. each through the very path a pull_request event takes (handle-event.ts: re-fetched,
 *      evaluated, check run published on its head, reviewers, labels and comment updated),
 *      `concurrency` at a time, and one at a time per pull request with the deliveries of that
 *      pull request (the shared KeyedQueue). A request to judge a pull request again while such
 *      a request is already waiting for its turn joins it: that run reads everything when it
 *      starts, so it sees the newest base.
 *
 * A pull request that cannot be judged gets a failed check naming the reason, as on any event,
 * and the others are judged all the same. When even the failed check cannot be published for
 * one of them, or the list of pull requests cannot be read, the delivery fails once the others
 * are done (the webhook is answered 500 and the error logged), and a redelivery tries again. A
 * redelivered push that was fully handled does nothing again (the delivery ledger).
 */
import type { BlobCache, GitHubClient, PagingGitHubClient } from '../../adapters/github/index.js';
import { baseMoveOf, type BaseMove } from '../../core/check/base-moved.js';
import { governancePathsOf } from '../../core/policy/governance-paths.js';
import { POLICY_PATH } from '../../core/tree.js';
import { readAndLoad } from '../../pipeline/read-registry.js';
import { runOnce, type DeliveryLedger } from '../delivery/delivery-ledger.js';
import { publishCheckRun, type CheckRunResult } from '../evaluation/check-run.js';
import { fetchAppConfig } from '../reads/config.js';
import { plainReasonOf } from '../delivery/failure.js';
import { markdownText } from '../../core/render/safe-text.js';
import { handlePullRequest, type DeliveryOutcome } from '../delivery/handle-event.js';
import { pushTargetOf, type PushPayload, type PushTarget } from '../merge/push-event.js';
import { PushTrees } from '../reads/push-trees.js';
import { pullRequestKey, type KeyedQueue } from '../delivery/serialize.js';
import { listOpenPullRequests, type OpenPullRequest } from './open-pull-requests.js';

/** Default bound of pull requests judged again per push. */
export const MAX_PULL_REQUESTS = 100;
/** Default number of pull requests judged at the same time. */
export const CONCURRENCY = 4;

export interface RejudgeDelivery {
  id: string;
  payload: PushPayload;
  octokit: PagingGitHubClient;
  log: { info(message: string): void; warn(message: string): void; error(message: string): void };
  /** The push's trees, shared with the merge record (src/app/reads/push-trees.ts). */
  trees?: PushTrees;
}

export interface RejudgeOptions {
  ledger: DeliveryLedger;
  /** The App's queue of pull request work (the one its pull request events use). */
  queue: KeyedQueue;
  botLogin: () => Promise<string>;
  blobCache?: BlobCache;
  maxPullRequests?: number;
  concurrency?: number;
}

export type RejudgeOutcome =
  | { status: 'ignored'; reason: string }
  | { status: 'unchanged'; reason: string }
  | { status: 'rejudged'; judged: number[]; notJudged: number[]; incomplete: number[] };

/** The ledger key of this step, apart from the merge record's (both handle the same delivery id). */
export const rejudgeLedgerId = (deliveryId: string): string => `${deliveryId}:rejudge`;

export async function rejudgeOnPush(delivery: RejudgeDelivery, options: RejudgeOptions): Promise<RejudgeOutcome> {
  const decision = pushTargetOf(delivery.payload);
  // The merge record logs why a push is ignored; nothing is asked of GitHub here either.
  if (!decision.target) return { status: 'ignored', reason: decision.ignored };
  const target = decision.target;
  const { log } = delivery;
  const where = `${target.owner}/${target.repo}@${target.branch} ${target.before.slice(0, 7)}..${target.after.slice(0, 7)} (delivery ${delivery.id})`;
  const run = await runOnce(
    options.ledger,
    rejudgeLedgerId(delivery.id),
    () => rejudge(delivery, target, where, options),
    (outcome) => outcome.status !== 'rejudged' || outcome.incomplete.length === 0,
  );
  if (run.duplicate) {
    log.info(`${where}: the open pull requests were already judged again for this delivery`);
    return { status: 'ignored', reason: 'the delivery was already handled' };
  }
  return run.result;
}

async function rejudge(delivery: RejudgeDelivery, target: PushTarget, where: string, options: RejudgeOptions): Promise<RejudgeOutcome> {
  const { octokit, log } = delivery;
  const move = await moveOf(delivery, target);
  if (!move.rejudge) {
    log.info(`${where}: open pull requests not judged again: ${move.reason}`);
    return { status: 'unchanged', reason: move.reason };
  }

  let open: OpenPullRequest[];
  try {
    open = await listOpenPullRequests(octokit, target.owner, target.repo, target.branch);
  } catch (error) {
    log.error(`${where}: ${move.reason}, but the open pull requests could not be listed to judge them again: ${plainReasonOf(error)}`);
    throw error;
  }
  const max = Math.max(0, options.maxPullRequests ?? MAX_PULL_REQUESTS);
  const chosen = open.slice(0, max);
  const notJudged = open.slice(max).map((p) => p.number);
  if (open.length === 0) {
    log.info(`${where}: ${move.reason}; no open pull request targets ${target.branch}`);
    return { status: 'rejudged', judged: [], notJudged: [], incomplete: [] };
  }
  log.info(
    `${where}: ${move.reason}; judging ${chosen.length} open pull request${chosen.length === 1 ? '' : 's'} again: ${numbers(chosen.map((p) => p.number))}`,
  );
  if (notJudged.length > 0) {
    log.warn(
      `${where}: ${open.length} open pull requests target ${target.branch}, more than the ${max} judged again per push; ` +
        `${numbers(notJudged)} ${notJudged.length === 1 ? 'was' : 'were'} not judged again: ${notJudged.length === 1 ? 'its check says' : 'their checks say'} so and no longer ${notJudged.length === 1 ? 'passes' : 'pass'}. ` +
        'Each is judged again on its next push or review, or when its check is re-run.',
    );
    await markNotJudged(octokit, target, open.slice(max), log, where);
  }

  const results = await mapLimited(chosen, Math.max(1, options.concurrency ?? CONCURRENCY), async (pr) => {
    const ref = { owner: target.owner, repo: target.repo, pullNumber: pr.number };
    try {
      // The same key as the pull request's own deliveries (index.ts): never two evaluations of one pull request at once.
      const outcome = await options.queue.join(pullRequestKey(ref), () =>
        handlePullRequest({
          octokit,
          ref,
          deliveryId: delivery.id,
          payloadHeadSha: pr.headSha,
          botLogin: options.botLogin,
          blobCache: options.blobCache,
          log,
        }),
      );
      return { number: pr.number, outcome };
    } catch (error) {
      return { number: pr.number, error };
    }
  });

  const failed = results.filter((r): r is { number: number; error: unknown } => 'error' in r);
  if (failed.length > 0) {
    throw new Error(
      `${failed.length} of ${chosen.length} open pull requests could not be judged again after the push to ${target.branch} ` +
        `(not even a failed check could be published): ${failed.map((f) => `#${f.number}: ${plainReasonOf(f.error)}`).join('; ')}`,
    );
  }
  const incomplete = results
    .filter((r): r is { number: number; outcome: DeliveryOutcome } => 'outcome' in r && r.outcome !== 'done')
    .map((r) => r.number);
  return { status: 'rejudged', judged: chosen.map((p) => p.number), notJudged, incomplete };
}

/**
 * A pull request past the bound is not judged again, but its check must not stay green on a
 * verdict about the old base: it gets a failed check saying why, one cheap write each (no reads).
 * A failure here is logged; that pull request's old check then stays until its next event.
 */
async function markNotJudged(
  octokit: GitHubClient,
  target: PushTarget,
  prs: readonly OpenPullRequest[],
  log: RejudgeDelivery['log'],
  where: string,
): Promise<void> {
  const ref = (pr: OpenPullRequest) => ({ owner: target.owner, repo: target.repo, pullNumber: pr.number });
  let checkName: string;
  try {
    checkName = (await fetchAppConfig(octokit, ref(prs[0]!), target.branch)).checkName;
  } catch (error) {
    log.error(
      `${where}: the checks of the pull requests not judged again could not be marked (the App's configuration could not be read): ${plainReasonOf(error)}`,
    );
    return;
  }
  for (const pr of prs) {
    if (!pr.headSha) {
      log.error(`${where}: the check of #${pr.number} could not be marked as not judged again: GitHub named no head commit for it`);
      continue;
    }
    try {
      await publishCheckRun(octokit, ref(pr), checkName, notJudgedCheck(pr.headSha, target.branch));
    } catch (error) {
      log.error(`${where}: the check of #${pr.number} could not be marked as not judged again: ${plainReasonOf(error)}`);
    }
  }
}

function notJudgedCheck(headSha: string, branch: string): CheckRunResult {
  const title = `${branch} changed: this pull request is waiting to be judged again`;
  return {
    headSha,
    conclusion: 'failure',
    title,
    summary: [
      `## ${markdownText(title)}`,
      '',
      `The policy, connectors or apps on ${markdownText(branch)} changed after this pull request was last judged, and more pull requests are open than the App judges again at once.`,
      'Until it is judged again the earlier verdict does not count. Re-run this check, push a commit, or wait for the next review to have it judged against the new base.',
    ].join('\n'),
  };
}

/** What the push changed, from both sides' listings; when they cannot be read, judge again anyway. */
async function moveOf(delivery: RejudgeDelivery, target: PushTarget): Promise<BaseMove> {
  const trees = delivery.trees ?? new PushTrees(delivery.octokit);
  const before = trees.of(target.owner, target.repo, target.before, `${target.branch} before the push`);
  const after = trees.of(target.owner, target.repo, target.after, `${target.branch} after the push`);
  try {
    const [b, a] = await Promise.all([before.listing(), after.listing()]);
    const governed = baseMoveOf(b, a);
    if (governed.rejudge) return governed;
    // Nothing changed in the governed folders, so the policy is the same on both sides: its
    // governance paths (the gate's own code, e.g. action/ and package.json) are the other
    // paths a verdict depends on (a pull request that also changes one of them is judged on
    // the merge of both sides).
    const policy = a.entries.some((e) => e.path === POLICY_PATH) ? await readAndLoad(after, [POLICY_PATH]) : [];
    const governancePaths = governancePathsOf(policy);
    const [bg, ag] = await Promise.all([before.listing(governancePaths), after.listing(governancePaths)]);
    return baseMoveOf(bg, ag, governancePaths);
  } catch (error) {
    return {
      rejudge: true,
      paths: [],
      reason: `what the push changed could not be read (${plainReasonOf(error)}), so it may have changed what the pull requests are judged by`,
    };
  }
}

/** "#1, #2 and #3"; past ten, "... and 5 more". */
function numbers(list: readonly number[], shown = 10): string {
  const named = list.map((n) => `#${n}`);
  if (named.length === 1) return named[0]!;
  if (named.length <= shown) return `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`;
  return `${named.slice(0, shown).join(', ')} and ${named.length - shown} more`;
}

/** `task` for each item, at most `limit` at a time; results in the items' order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
