/**
 * The merge-record loop, written once for every front door (`microapps apply` and the Action
 * over a clone, the App over GitHub's API) on the branch-writer port (adapters/branch-writer.ts):
 *
 *   1. the branch tip (read by the caller already, or asked of the writer); the merge must be on
 *      the branch: the record goes after it, never beside it;
 *   2. what the log at the tip does not have yet; nothing: stop (a re-run records nothing twice);
 *   3. who merged and whose approvals counted (the caller's, once), then the calling-out steps
 *      (webhooks) once, whatever happens to the commit afterwards;
 *   4. the record on the tip (record-merge.ts: RECORD_CONTRIBUTORS' files), committed expecting
 *      that tip; when the branch moved meanwhile, steps 1 and 4 run again on the new tip, at most
 *      `maxAttempts` times in all: racing merges make a linear log. A writer that still shows the
 *      refused tip (GitHub, for a moment) is given time, `BACKOFF_MS` x attempt, and asked again.
 */
import type { BranchWriter } from '../../adapters/branch-writer.js';
import type { TreeSource } from '../../adapters/tree-source.js';
import { SourceError } from '../../core/errors.js';
import { AUDIT_LOG_PATH, type ApprovalRecord, type AuditEntry, type AuditSigner, type PullRequestRef } from '../../core/audit/index.js';
import type { MergedApp } from '../../core/merge/merge-record.js';
import type { StepResult } from '../../core/provision/index.js';
import { readText } from '../read-registry.js';
import type { MergePlan } from './plan-merge.js';
import { applyCallingOutSteps, pendingMerge, recordCommitMessage, recordMerge } from './record-merge.js';

/** How many times the record is made, in all, on a branch that keeps moving. */
export const MAX_ATTEMPTS = 5;
/** The wait before asking again for a tip the writer still shows as the refused one, times the attempt. */
export const BACKOFF_MS = 500;

/** Who merged the change and, per app, whose approvals counted: in the entries. */
export interface Attribution {
  pullRequest: PullRequestRef | null;
  approvals?: ReadonlyMap<string, ApprovalRecord[]>;
}

export interface RecordOnBranchRequest {
  plan: MergePlan;
  /** The merge commit recorded (also the scope of the webhooks' idempotency keys). */
  commit: string;
  writer: BranchWriter;
  /** A tip of the branch, as a tree. */
  tree: (head: string) => TreeSource;
  signer: AuditSigner;
  /** The webhooks' secrets. */
  env: Readonly<Record<string, string | undefined>>;
  now: () => string;
  /** The tip when the caller has read it already (default: the writer's head()). */
  head?: string;
  /** Asked once the changes to record are known, before anything is provisioned. */
  attribution?: (pending: readonly MergedApp[]) => Promise<Attribution>;
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  log?: (message: string) => void;
  /** What to do when the branch kept moving, e.g. "run apply again". */
  retryHint: string;
}

export type RecordOnBranchOutcome =
  | {
      status: 'nothing-to-record';
      /** Paths of changes the log already had for this merge. */
      skipped: string[];
      results: StepResult[];
      /** 0 when the log had everything at the start (nothing was provisioned); else the attempt that found it recorded meanwhile. */
      attempts: number;
    }
  | {
      status: 'recorded';
      sha: string;
      signed: boolean;
      url?: string;
      entries: AuditEntry[];
      results: StepResult[];
      skipped: string[];
      /** The record's files (registry paths). */
      files: string[];
      pullRequest: PullRequestRef | null;
      attempts: number;
    };

export async function recordOnBranch(request: RecordOnBranchRequest): Promise<RecordOnBranchOutcome> {
  const { plan, commit, writer } = request;
  const sleep = request.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxAttempts = request.maxAttempts ?? MAX_ATTEMPTS;

  let head = request.head ?? (await writer.head());
  await mustContain(writer, head, commit);
  const atStart = pendingMerge(plan, (await readText(request.tree(head), AUDIT_LOG_PATH)) ?? '', commit);
  if (atStart.pending.length === 0) return { status: 'nothing-to-record', skipped: [...atStart.recorded], results: [], attempts: 0 };
  const { pullRequest, approvals } = (await request.attribution?.(atStart.pending)) ?? { pullRequest: null };
  const webhookResults = await applyCallingOutSteps(plan, atStart, { env: request.env });

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const record = await recordMerge({
      plan,
      head: request.tree(head),
      commit,
      webhookResults,
      signer: request.signer,
      time: request.now(),
      pullRequest,
      approvals,
    });
    if (record.status === 'nothing-to-record')
      return { status: 'nothing-to-record', skipped: record.skipped, results: webhookResults, attempts: attempt };
    const result = await writer.commit(record.files, { expectedHead: head, message: recordCommitMessage(record.pending, commit) });
    if (result.kind === 'committed') {
      return {
        status: 'recorded',
        sha: result.sha,
        signed: result.signed,
        ...(result.url ? { url: result.url } : {}),
        entries: record.entries,
        results: record.results,
        skipped: record.skipped,
        files: [...record.files.keys()],
        pullRequest,
        attempts: attempt,
      };
    }
    request.log?.(
      `${writer.branch} moved away from ${head.slice(0, 7)} (attempt ${attempt} of ${maxAttempts}: ${result.detail}); recording again on the new head`,
    );
    if (attempt === maxAttempts) break;
    let next = result.head;
    if (next === head) {
      await sleep(BACKOFF_MS * attempt);
      next = await writer.head();
    }
    head = next;
    await mustContain(writer, head, commit);
  }
  throw new SourceError(
    `${writer.branch} kept moving: gave up after ${maxAttempts} attempts to record ${commit.slice(0, 7)}; ${request.retryHint}`,
  );
}

/** The merge must be on the branch: the record goes after it, never beside it. */
async function mustContain(writer: BranchWriter, head: string, commit: string): Promise<void> {
  if (!(await writer.contains(head, commit))) {
    throw new SourceError(
      `${commit.slice(0, 7)} is not on ${writer.branch} (${head.slice(0, 7)}): the record goes after the merge, never beside it, so nothing was recorded`,
    );
  }
}
