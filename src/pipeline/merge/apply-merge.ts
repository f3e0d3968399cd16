/**
 * `microapps apply` (and the Action's merge mode): what merging a change into the registry
 * does, on a local clone.
 *
 *   1. plan (plan-merge.ts): judge before..after with the PR check's core, plan provisioning
 *      with the configuration of `before`;
 *   2. record on the branch (record-loop.ts) through the git branch writer: the calling-out
 *      steps (webhooks) once, unless the log already has the merge; then one audit entry per app
 *      change, a signed checkpoint and the gateway's state as one commit (SSH-signed when the
 *      clone is configured for it), moved in by compare-and-swap, and made again on the new head
 *      when the branch moved meanwhile: racing applies make a linear log.
 *
 * A failed provisioning step is recorded in its entry and reported, never dropped.
 */
import { GitBranchWriter } from '../../adapters/git/branch-writer.js';
import { CommitTree, repositoryPrefix, resolveCommit } from '../../adapters/git/commit-tree.js';
import { AuditRefusedError, SourceError } from '../../core/errors.js';
import {
  AUDIT_COMMITTER_EMAIL,
  signerFromOpenSshKey,
  type ApprovalRecord,
  type AuditEntry,
  type AuditSigner,
  type PullRequestRef,
} from '../../core/audit/index.js';
import type { CheckReport } from '../../core/check/report.js';
import type { PlanStep, StepResult } from '../../core/provision/index.js';
import { planMerge } from './plan-merge.js';
import { recordOnBranch } from './record-loop.js';

export interface ApplyRequest {
  /** The clone; the registry is its top level or a folder of it. */
  root: string;
  before: string;
  after: string;
  /** The branch to write the record onto (the one `after` was merged into). */
  branch: string;
  dryRun: boolean;
  /** MICROAPPS_AUDIT_KEY (the private key's path), MICROAPPS_AUDIT_KEY_ID, webhook secrets. */
  env: Readonly<Record<string, string | undefined>>;
  now?: () => string;
  pullRequest?: PullRequestRef | null;
  approvals?: ReadonlyMap<string, ApprovalRecord[]>;
  /** How many times to make the record, in all, when the branch moves under it. */
  maxAttempts?: number;
  /** Reads the private key file (given by the CLI: the pipeline opens no paths itself). */
  readKey?: (path: string) => string;
}

export interface ApplyOutcome {
  report: CheckReport;
  steps: PlanStep[];
  results: StepResult[];
  /** The entries appended (none for a dry run or when everything was recorded before). */
  entries: AuditEntry[];
  /** Paths of changes the log already had for this merge. */
  skipped: string[];
  commit?: string;
  signed?: boolean;
  attempts: number;
  /** Files the commit wrote. */
  files: string[];
}

export async function applyMerge(request: ApplyRequest): Promise<ApplyOutcome> {
  const prefix = await repositoryPrefix(request.root);
  const beforeCommit = await resolveCommit(request.root, request.before);
  const afterCommit = await resolveCommit(request.root, request.after);
  const tree = (commit: string, label: string) => new CommitTree(request.root, commit, label, prefix);

  const plan = await planMerge(
    tree(beforeCommit, `before (${beforeCommit.slice(0, 7)})`),
    tree(afterCommit, `after (${afterCommit.slice(0, 7)})`),
    afterCommit,
  );
  const base = { report: plan.report, steps: plan.provisioning.steps };
  if (request.dryRun) return { ...base, results: [], entries: [], skipped: [], attempts: 0, files: [] };
  const signer = auditSigner(request);

  const writer = new GitBranchWriter(request.root, request.branch, {
    prefix,
    committer: { name: 'microapps audit', email: AUDIT_COMMITTER_EMAIL },
    signingKey: request.env.MICROAPPS_AUDIT_KEY,
  });
  const outcome = await recordOnBranch({
    plan,
    commit: afterCommit,
    writer,
    tree: (head) => tree(head, `${request.branch} (${head.slice(0, 7)})`),
    signer,
    env: request.env,
    now: request.now ?? (() => new Date().toISOString()),
    attribution: async () => ({ pullRequest: request.pullRequest ?? null, approvals: request.approvals }),
    maxAttempts: request.maxAttempts,
    retryHint: 'run apply again',
  });
  if (outcome.status === 'nothing-to-record') {
    // A repeated apply (a re-run): everything is recorded, so nothing is done again.
    return { ...base, results: outcome.results, entries: [], skipped: outcome.skipped, attempts: outcome.attempts, files: [] };
  }
  return {
    ...base,
    results: outcome.results,
    entries: outcome.entries,
    skipped: outcome.skipped,
    commit: outcome.sha,
    signed: outcome.signed,
    attempts: outcome.attempts,
    files: outcome.files.map((path) => `${prefix}${path}`),
  };
}

function auditSigner(request: ApplyRequest): AuditSigner {
  const path = request.env.MICROAPPS_AUDIT_KEY;
  if (!path)
    throw new SourceError('MICROAPPS_AUDIT_KEY is not set: it must name the audit private key file (made by microapps audit keygen)');
  if (!request.readKey) throw new SourceError('no way to read MICROAPPS_AUDIT_KEY was given');
  const signer = signerFromOpenSshKey(request.readKey(path), { keyId: request.env.MICROAPPS_AUDIT_KEY_ID, source: 'MICROAPPS_AUDIT_KEY' });
  if (!signer.value) throw new AuditRefusedError(signer.problems);
  return signer.value;
}
