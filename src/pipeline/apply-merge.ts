/**
 * `microapps apply`: what merging a change into the registry does, on a local clone.
 *
 *   1. plan (merge/plan-merge.ts): judge before..after with the PR check's core, plan
 *      provisioning with the configuration of `before`;
 *   2. apply the calling-out steps (webhooks) once, unless the log already has the merge;
 *   3. record (merge/record-merge.ts) on the branch head: one audit entry per app change, a
 *      signed checkpoint, the gateway's state; commit it as one commit (SSH-signed when the
 *      clone is configured for it), moved in by compare-and-swap. When the branch moved
 *      meanwhile, step 3 runs again on the new head: racing applies make a linear log.
 *
 * A failed provisioning step is recorded in its entry and reported, never dropped.
 */
import { CommitTree, repositoryPrefix, resolveCommit } from '../adapters/git/commit-tree.js';
import { commitFiles } from '../adapters/git/commit-files.js';
import { runGit } from '../adapters/git/run-git.js';
import { AuditRefusedError, SourceError } from '../core/errors.js';
import {
  AUDIT_COMMITTER_EMAIL,
  AUDIT_LOG_PATH,
  signerFromOpenSshKey,
  type ApprovalRecord,
  type AuditEntry,
  type AuditSigner,
  type PullRequestRef,
} from '../core/audit/index.js';
import type { CheckReport } from '../core/check/report.js';
import type { PlanStep, StepResult } from '../core/provision/index.js';
import { planMerge } from './merge/plan-merge.js';
import { readText } from './read-registry.js';
import { applyCallingOutSteps, pendingMerge, recordCommitMessage, recordMerge } from './merge/record-merge.js';

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
  /** How many times to redo the record when the branch moves under it. */
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
  const now = request.now ?? (() => new Date().toISOString());
  const prefix = await repositoryPrefix(request.root);
  const beforeCommit = await resolveCommit(request.root, request.before);
  const afterCommit = await resolveCommit(request.root, request.after);
  const tree = (commit: string, label: string) => new CommitTree(request.root, commit, label, prefix);

  const plan = await planMerge(tree(beforeCommit, `before (${beforeCommit.slice(0, 7)})`), tree(afterCommit, `after (${afterCommit.slice(0, 7)})`), afterCommit);
  const base = { report: plan.report, steps: plan.provisioning.steps };
  if (request.dryRun) return { ...base, results: [], entries: [], skipped: [], attempts: 0, files: [] };
  const signer = auditSigner(request);

  const headAtStart = await branchHead(request.root, request.branch);
  const atStart = pendingMerge(plan, (await readText(tree(headAtStart, request.branch), AUDIT_LOG_PATH)) ?? '', afterCommit);
  if (atStart.pending.length === 0) {
    // A repeated apply (a re-run): everything is recorded, so nothing is done again.
    return { ...base, results: [], entries: [], skipped: [...atStart.recorded], attempts: 0, files: [] };
  }
  const webhookResults = await applyCallingOutSteps(plan, atStart, { env: request.env });

  const maxAttempts = request.maxAttempts ?? 5;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const head = attempt === 1 ? headAtStart : await branchHead(request.root, request.branch);
    await mustContain(request.root, head, afterCommit, request.branch);
    const time = now();
    const record = await recordMerge({
      plan,
      head: tree(head, `${request.branch} (${head.slice(0, 7)})`),
      commit: afterCommit,
      webhookResults,
      signer,
      time,
      pullRequest: request.pullRequest ?? null,
      approvals: request.approvals,
    });
    if (record.status === 'nothing-to-record') {
      return { ...base, results: webhookResults, entries: [], skipped: record.skipped, attempts: attempt, files: [] };
    }
    const message = recordCommitMessage(record.pending, afterCommit);
    const files = new Map([...record.files].map(([path, text]) => [`${prefix}${path}`, text]));
    const result = await commitFiles(request.root, {
      branch: request.branch,
      parent: head,
      files,
      message: `${message.headline}\n\n${message.body}\n`,
      committer: { name: 'microapps audit', email: AUDIT_COMMITTER_EMAIL },
      signingKey: request.env.MICROAPPS_AUDIT_KEY,
    });
    if (result.status === 'committed') {
      await followWorkingTree(request.root, request.branch, head, result.commit);
      return {
        ...base,
        results: record.results,
        entries: record.entries,
        skipped: record.skipped,
        commit: result.commit,
        signed: result.signed,
        attempts: attempt,
        files: [...files.keys()],
      };
    }
  }
  throw new SourceError(`the branch ${request.branch} kept moving: gave up after ${maxAttempts} attempts; run apply again`);
}

function auditSigner(request: ApplyRequest): AuditSigner {
  const path = request.env.MICROAPPS_AUDIT_KEY;
  if (!path) throw new SourceError('MICROAPPS_AUDIT_KEY is not set: it must name the audit private key file (made by microapps audit keygen)');
  if (!request.readKey) throw new SourceError('no way to read MICROAPPS_AUDIT_KEY was given');
  const signer = signerFromOpenSshKey(request.readKey(path), { keyId: request.env.MICROAPPS_AUDIT_KEY_ID, source: 'MICROAPPS_AUDIT_KEY' });
  if (!signer.value) throw new AuditRefusedError(signer.problems);
  return signer.value;
}

async function branchHead(root: string, branch: string): Promise<string> {
  return resolveCommit(root, `refs/heads/${branch}`).catch(() => {
    throw new SourceError(`there is no branch "${branch}" to record the merge on`);
  });
}

/** The merge must already be on the branch: the record goes after it, never beside it. */
async function mustContain(root: string, head: string, commit: string, branch: string): Promise<void> {
  const result = await runGit(root, ['merge-base', '--is-ancestor', commit, head]);
  if (result.code !== 0) throw new SourceError(`${commit.slice(0, 7)} is not on ${branch} (${head.slice(0, 7)}): merge it first, then apply`);
}

/** When the branch is checked out here, bring the working tree along (a clean two-tree merge only). */
async function followWorkingTree(root: string, branch: string, from: string, to: string): Promise<void> {
  const head = await runGit(root, ['symbolic-ref', '--quiet', 'HEAD']);
  if (head.code !== 0 || head.stdout.toString('utf8').trim() !== `refs/heads/${branch}`) return;
  await runGit(root, ['read-tree', '-m', '-u', from, to]);
}
