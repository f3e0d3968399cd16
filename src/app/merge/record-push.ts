/**
 * The App's side of "merge is deployment" (DESIGN.md section 5): on a push to the default branch
 * it provisions what the push changed and records it in the audit log, with the same halves as
 * `microapps apply` (src/pipeline/merge/apply-merge.ts), through GitHub's API instead of a clone.
 *
 *   1. the default branch and its head, from GitHub (not the payload). A push that changed nothing outside audit/ and generated/ (the App's own record
 *      commit, a README edit) stops here: that is why the App's commit never records itself;
 *   2. plan (pipeline/merge/plan-merge.ts): judge before..after with the base's policy, plan the
 *      provisioning; no app changed: nothing to do;
 *   3. the merge-record loop (pipeline/merge/record-loop.ts) with the GitHub branch writer
 *      (adapters/github/branch-writer.ts): the pushed commit must be on the branch; the pull
 *      request the push merged and, per app, the approvals that counted; the webhooks once; the
 *      record committed with `createCommitOnBranch` and `expectedHeadOid`, made again on the new
 *      head when the branch moved (bounded): racing merges make a linear log. A change the log
 *      already has for this commit is never recorded twice (a redelivered push appends nothing).
 */
import type { BlobCache, GitHubTree } from '../../adapters/github/index.js';
import { GitHubBranchWriter, readDefaultBranch } from '../../adapters/github/branch-writer.js';
import type { AuditEntry } from '../../core/audit/index.js';
import type { StepResult } from '../../core/provision/index.js';
import { isMergeRecordPath } from '../../core/check/base-moved.js';
import { diffTrees } from '../../core/check/diff-trees.js';
import { planMerge } from '../../pipeline/merge/plan-merge.js';
import { recordOnBranch } from '../../pipeline/merge/record-loop.js';
import { auditSignerFromEnv, type Env } from './audit-key.js';
import type { MergeClient } from '../../adapters/github/graphql.js';
import { approvalsAtMerge, findMergedPullRequest } from './merged-pull-request.js';
import type { PushTarget } from './push-event.js';
import { PushTrees } from '../reads/push-trees.js';

export { MAX_ATTEMPTS } from '../../pipeline/merge/record-loop.js';

export interface RecordPushRequest {
  octokit: MergeClient;
  target: PushTarget;
  /** MICROAPPS_AUDIT_PRIVATE_KEY or MICROAPPS_AUDIT_KEY (+ _ID), and the webhooks' secrets. */
  env: Env;
  readFile?: (path: string) => string;
  blobCache?: BlobCache;
  /** The push's trees, shared with the other steps of the delivery (default: this record's own). */
  trees?: PushTrees;
  now?: () => string;
  maxAttempts?: number;
  /** Waits before redoing the record when GitHub still shows the refused head (default: a timer). */
  sleep?: (ms: number) => Promise<void>;
  log: { info(message: string): void };
}

export type PushOutcome =
  | { status: 'ignored'; reason: string }
  | { status: 'nothing-to-record'; reason: string }
  | { status: 'no-key'; problem: string }
  | {
      status: 'recorded';
      commit: string;
      url?: string;
      entries: AuditEntry[];
      results: StepResult[];
      pullRequest: number | null;
      attempts: number;
    };

export async function recordPush(request: RecordPushRequest): Promise<PushOutcome> {
  const { octokit, target, log } = request;
  const { owner, repo, branch } = target;
  const trees = request.trees ?? new PushTrees(octokit, request.blobCache);
  const tree = (sha: string, label: string): GitHubTree => trees.of(owner, repo, sha, label);

  const at = await readDefaultBranch(octokit, owner, repo);
  if (at.branch !== branch) return { status: 'ignored', reason: `${branch} is not the default branch (${at.branch})` };
  const before = tree(target.before, `${branch} before the push`);
  const after = tree(target.after, `${branch} after the push`);
  if (!(await changesMoreThanRecords(before, after))) {
    return { status: 'nothing-to-record', reason: 'the push changed nothing outside audit/ and generated/' };
  }
  const writer = new GitHubBranchWriter(octokit, owner, repo, branch);

  const plan = await planMerge(before, after, target.after);
  if (plan.apps.length === 0) return { status: 'nothing-to-record', reason: 'the push changed no app' };
  const key = auditSignerFromEnv(request.env, request.readFile);
  if (!key.signer) return { status: 'no-key', problem: key.problem };

  const outcome = await recordOnBranch({
    plan,
    commit: target.after,
    writer,
    head: at.head,
    tree: (head) => tree(head, branch),
    signer: key.signer,
    env: request.env,
    now: request.now ?? (() => new Date().toISOString()),
    attribution: async (pending) => {
      const pr = await findMergedPullRequest(octokit, owner, repo, target.after, branch);
      const approvals = pr ? await approvalsAtMerge(octokit, pr, pending, request.blobCache) : undefined;
      log.info(
        `recording ${pending.length} app change${pending.length === 1 ? '' : 's'} of ${target.after.slice(0, 7)} (${pr ? `pull request #${pr.record.number}` : 'no pull request: a direct push'})`,
      );
      return { pullRequest: pr?.record ?? null, approvals };
    },
    maxAttempts: request.maxAttempts,
    sleep: request.sleep,
    log: (message) => log.info(message),
    retryHint: 'redeliver the push to try again',
  });
  if (outcome.status === 'nothing-to-record') {
    return {
      status: 'nothing-to-record',
      reason: `the audit log already has ${target.after.slice(0, 7)}${outcome.attempts > 0 ? ' (recorded meanwhile)' : ''}`,
    };
  }
  return {
    status: 'recorded',
    commit: outcome.sha,
    url: outcome.url,
    entries: outcome.entries,
    results: outcome.results,
    pullRequest: outcome.pullRequest?.number ?? null,
    attempts: outcome.attempts,
  };
}

/**
 * Whether anything the registry governs changed outside the merge job's own folders, from the
 * two tree listings (two requests each; planMerge reuses them). The App's record commit only
 * writes audit/ and generated/, so it never triggers another record.
 */
async function changesMoreThanRecords(before: GitHubTree, after: GitHubTree): Promise<boolean> {
  // The record covers the registry's governed folders; the gate's own code is not provisioned.
  const [beforeListing, afterListing] = await Promise.all([before.listing(), after.listing()]);
  const diff = diffTrees(beforeListing, afterListing, []);
  return diff.all.some((c) => !isMergeRecordPath(c.path));
}
