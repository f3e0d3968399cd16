/**
 * The files that join the one merge-record commit, each made by one contributor from the
 * branch head the record goes on. Every front door (`microapps apply`, the Action, the App)
 * commits exactly what this list makes, in one commit, moved in by compare-and-swap.
 *
 * To add a file to the record (the catalog, the monitoring configuration...), write a
 * RecordContributor and add it to RECORD_CONTRIBUTORS: a one-line change here. Contributors run
 * in order, each seeing the step results of those before it; keep `auditEntries` last, since
 * the audit entries record those results.
 */
import type { TreeSource } from '../../adapters/tree-source.js';
import {
  AUDIT_CHECKPOINTS_PATH,
  AUDIT_LOG_PATH,
  appendEntries,
  type ApprovalRecord,
  type AuditEntry,
  type AuditFiles,
  type AuditSigner,
  type PullRequestRef,
} from '../../core/audit/index.js';
import { entryInputs, type MergedApp } from '../../core/merge/merge-record.js';
import { gatewayProvisioner, type StepResult } from '../../core/provision/index.js';
import { readText } from '../read-registry.js';
import type { MergePlan } from './plan-merge.js';
import { registryOf } from './plan-merge.js';
import { AuditRefusedError } from '../../core/errors.js';

/** What a contributor sees: the merge, the changes still to record, and the branch head's audit files. */
export interface RecordInput {
  plan: MergePlan;
  /** The branch head, as a tree: the record goes on top of it. */
  head: TreeSource;
  /** The merge commit recorded. */
  commit: string;
  pending: readonly MergedApp[];
  audit: AuditFiles;
  signer: AuditSigner;
  time: string;
  pullRequest: PullRequestRef | null;
  approvals?: ReadonlyMap<string, ApprovalRecord[]>;
}

export interface Contribution {
  /** Registry path -> whole new text. */
  files: ReadonlyArray<readonly [string, string]>;
  /** Provisioning step results this contributor produced (e.g. the gateway's). */
  results?: readonly StepResult[];
  /** Audit entries appended (only the audit log's contributor). */
  entries?: readonly AuditEntry[];
}

export type RecordContributor = (input: RecordInput, resultsSoFar: readonly StepResult[]) => Promise<Contribution>;

/** The gateway's state, rendered from the registry as it is on the branch head now. */
export const gatewayState: RecordContributor = async (input) => {
  const config = input.plan.provisioning.config;
  if (!config.gateway) return { files: [] };
  const current = await readText(input.head, config.gateway.output);
  const applied = await gatewayProvisioner(config.gateway).apply(
    input.plan.provisioning.steps.filter((s) => s.provisioner === 'gateway'),
    {
      registry: await registryOf(input.head),
      files: (p) => (p === config.gateway!.output ? current : undefined),
      env: {},
      done: new Set(),
    },
  );
  return { files: applied.files.map((f) => [f.path, f.content] as const), results: applied.results };
};

/** One audit entry per pending app change, with every step result so far, and a signed checkpoint. */
export const auditEntries: RecordContributor = async (input, resultsSoFar) => {
  const appended = appendEntries(
    input.audit,
    entryInputs(input.pending, resultsSoFar, {
      commit: input.commit,
      time: input.time,
      pullRequest: input.pullRequest,
      approvals: input.approvals,
    }),
    input.signer,
    input.time,
  );
  if (!appended.value) throw new AuditRefusedError(appended.problems);
  return {
    files: [
      [AUDIT_LOG_PATH, appended.value.files.log],
      [AUDIT_CHECKPOINTS_PATH, appended.value.files.checkpoints],
    ],
    entries: appended.value.entries,
  };
};

export const RECORD_CONTRIBUTORS: readonly RecordContributor[] = [gatewayState, auditEntries];
