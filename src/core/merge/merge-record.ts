/**
 * What a merge records, app by app: the audit entry inputs from the judged change (decision,
 * rules), the provisioning results and, when known, the pull request and its approvals. Pure:
 * `microapps apply`, the App and the Action's merge mode build entries the same way.
 */
import type { ApprovalRecord, AuditEntry, EntryInput, PullRequestRef } from '../audit/model.js';
import type { AppReport } from '../check/report.js';
import type { AppChange, StepResult } from '../provision/types.js';

export interface MergedApp {
  change: AppChange;
  /**
   * "sha256:<hex>" of the manifest file's bytes: recorded instead of the manifest hash when the
   * merged manifest is not valid (an administrator's direct push), so the entry still says what
   * was merged.
   */
  fileHash?: string;
  /** How the policy judged it (the check report of before..after). */
  report: AppReport;
}

export interface MergeContext {
  /** The merge commit the changes came from. */
  commit: string;
  time: string;
  pullRequest: PullRequestRef | null;
  /** Per app name: whose approvals counted, when the pull request is known. */
  approvals?: ReadonlyMap<string, ApprovalRecord[]>;
}

export function entryInputs(apps: readonly MergedApp[], results: readonly StepResult[], context: MergeContext): EntryInput[] {
  return apps.map(({ change, report, fileHash }) => ({
    time: context.time,
    event: change.kind,
    app: change.app,
    path: change.path,
    manifest_hash: change.kind === 'removed' ? null : (change.manifestHash ?? fileHash ?? null),
    commit: context.commit,
    decision: report.decision,
    rules: report.rules,
    pull_request: context.pullRequest,
    approvals: context.approvals?.get(change.app) ?? [],
    provisioning: results
      .filter((r) => r.app === change.app)
      .map((r) => ({
        provisioner: r.provisioner,
        status: r.status,
        ...(r.detail ? { detail: r.detail } : {}),
        idempotency_key: r.idempotencyKey,
      })),
  }));
}

/**
 * The changes of `commit` already in the log: a repeated apply (a redelivered push, a re-run)
 * records nothing twice. Keyed by commit and path.
 */
export function alreadyRecorded(entries: Iterable<Pick<AuditEntry, 'commit' | 'path'>>, commit: string): Set<string> {
  const out = new Set<string>();
  for (const e of entries) if (e.commit === commit) out.add(e.path);
  return out;
}

/** Idempotency keys of provisioning steps the log says were done: they are not done again. */
export function doneKeys(entries: Iterable<Pick<AuditEntry, 'provisioning'>>): Set<string> {
  const out = new Set<string>();
  for (const e of entries)
    for (const p of e.provisioning) if (p.status === 'applied' || p.status === 'unchanged') out.add(p.idempotency_key);
  return out;
}
