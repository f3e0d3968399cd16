/**
 * The second half of recording a merge, on the branch head as it is now: skip the changes the
 * log already has (a re-run or a redelivered push records nothing twice), then let each of
 * RECORD_CONTRIBUTORS (record-contributors.ts: the gateway's state, the audit entries and their
 * signed checkpoint) make its files from the head. Returns the files to commit; the merge-record
 * loop (record-loop.ts) commits them on `head` by compare-and-swap and calls this again on the
 * new head when the branch moved.
 */
import type { TreeSource } from '../../adapters/tree-source.js';
import { AuditRefusedError } from '../../core/errors.js';
import {
  auditFilesFromContents,
  type ApprovalRecord,
  type AuditEntry,
  type AuditSigner,
  type PullRequestRef,
} from '../../core/audit/index.js';
import { applyProvisioning } from '../../adapters/provision/index.js';
import { alreadyRecorded, doneKeys, type MergedApp } from '../../core/merge/merge-record.js';
import type { StepResult } from '../../core/provision/index.js';
import type { MergePlan } from './plan-merge.js';
import { RECORD_CONTRIBUTORS } from './record-contributors.js';

export interface RecordRequest {
  plan: MergePlan;
  /** The branch head, as a tree: the record goes on top of it. */
  head: TreeSource;
  /** The merge commit recorded. */
  commit: string;
  /** Results of the calling-out steps (webhooks), applied once before. */
  webhookResults: readonly StepResult[];
  signer: AuditSigner;
  time: string;
  pullRequest: PullRequestRef | null;
  approvals?: ReadonlyMap<string, ApprovalRecord[]>;
}

export type Recorded =
  | { status: 'nothing-to-record'; skipped: string[] }
  | { status: 'record'; pending: MergedApp[]; skipped: string[]; entries: AuditEntry[]; results: StepResult[]; files: Map<string, string> };

export async function recordMerge(request: RecordRequest): Promise<Recorded> {
  const { plan, head } = request;
  const listing = await head.listing();
  const contents = await head.read(listing.entries.filter((e) => e.path.startsWith('audit/')).map((e) => e.path));
  const audit = auditFilesFromContents(contents);
  if (!audit.value) throw new AuditRefusedError(audit.problems);
  const recorded = alreadyRecorded(parseEntries(audit.value.log), request.commit);
  const pending = plan.apps.filter((a) => !recorded.has(a.change.path));
  if (pending.length === 0) return { status: 'nothing-to-record', skipped: [...recorded] };

  const input = { ...request, pending, audit: audit.value };
  // Results in the order the entries have always listed them: the contributors' (the gateway's), then the webhooks'.
  let gathered: StepResult[] = [];
  const files = new Map<string, string>();
  const entries: AuditEntry[] = [];
  for (const contribute of RECORD_CONTRIBUTORS) {
    const made = await contribute(input, [...gathered, ...request.webhookResults]);
    gathered = [...gathered, ...(made.results ?? [])];
    for (const [path, text] of made.files) files.set(path, text);
    entries.push(...(made.entries ?? []));
  }
  return { status: 'record', pending, skipped: [...recorded], entries, results: [...gathered, ...request.webhookResults], files };
}

/** What of a merge the log at the branch head does not have yet, and the provisioning it says was done. */
export interface PendingMerge {
  pending: MergedApp[];
  /** Paths of changes the log already has for this merge. */
  recorded: Set<string>;
  /** Idempotency keys of steps the log says were applied. */
  done: Set<string>;
}

export function pendingMerge(plan: MergePlan, logText: string, commit: string): PendingMerge {
  const entries = parseEntries(logText);
  const recorded = alreadyRecorded(entries, commit);
  return { pending: plan.apps.filter((a) => !recorded.has(a.change.path)), recorded, done: doneKeys(entries) };
}

/**
 * The calling-out steps (webhooks) of the pending changes, run once before the record is made,
 * whatever happens to the commit afterwards; their idempotency keys make a repeat harmless to
 * the receiver. The gateway is left to recordMerge, which renders it on the branch head.
 */
export async function applyCallingOutSteps(
  plan: MergePlan,
  pending: PendingMerge,
  options: { env: Readonly<Record<string, string | undefined>> },
): Promise<StepResult[]> {
  const apps = new Set(pending.pending.map((a) => a.change.app));
  const { results } = await applyProvisioning(
    {
      ...plan.provisioning,
      config: { webhooks: plan.provisioning.config.webhooks },
      steps: plan.provisioning.steps.filter((s) => s.provisioner !== 'gateway' && apps.has(s.app)),
    },
    { env: options.env, done: pending.done },
  );
  return results;
}

/** The entries of a log's text, leniently: a damaged line is the append's to refuse and name. */
export function parseEntries(log: string): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (const line of log.split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as AuditEntry);
    } catch {
      // Refused by appendEntries with its line number.
    }
  }
  return out;
}

/** One line of the commit message per change, and a trailer naming the recorded merge commit. */
export function recordCommitMessage(apps: readonly MergedApp[], commit: string): { headline: string; body: string } {
  const lines = apps.map((a) => `- ${a.change.kind} ${a.change.app} (${a.report.decision})`);
  return {
    headline: `audit: record ${apps.length} app change${apps.length === 1 ? '' : 's'} of ${commit.slice(0, 7)}`,
    body: [...lines, '', `Microapps-Audit-Of: ${commit}`].join('\n'),
  };
}
