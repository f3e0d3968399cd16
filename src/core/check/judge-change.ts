/**
 * Judges a change between two trees: the base tree's policy, connectors and directory decide
 * every app (a pull request can never approve itself by editing them); the head's files are
 * only validated. Returns the full report; the front doors only render it.
 */
import { error, hasErrors, sortFindings, START, type Finding } from '../findings.js';
import { DECISIONS_BY_STRICTNESS, isBlocking, strictest, type AppManifest, type Decision, type RequiredApproval } from '../model.js';
import { defaultReason, evaluateChange } from '../policy/evaluate.js';
import { appManifest, assembleSnapshot, type RegistrySnapshot } from '../registry/assemble.js';
import type { LoadedFile } from '../registry/load-file.js';
import {
  baseName,
  DIRECTORY_PATH,
  isRepositoryRootPath,
  POLICY_PATH,
  REPOSITORY_ROOT_MARK,
  REPOSITORY_ROOT_NOTE,
  roleOf,
  type TreeListing,
} from '../tree.js';
import type { TreeDiff } from './diff-trees.js';
import { redactDeep } from '../registry/find-secrets.js';
import { decisionCauses } from './causes.js';
import { ConnectorHintBudget } from './connector-hints.js';
import { previewProvisioning } from './preview-provisioning.js';
import type { CompiledPolicy, RuleMatch } from '../policy/types.js';
import type { AppReport, CheckReport, GovernanceChange } from './report.js';

export interface JudgeInput {
  /** The change: from the base to the merged result of the head (see merge-listings.ts). */
  diff: TreeDiff;
  /** The tree that judges: its policy, connectors and directory. */
  base: { listing: TreeListing; files: readonly LoadedFile[]; label: string };
  /** Changed apps as they were in the origin tree: `previous` for modifications and removals. */
  previous: readonly LoadedFile[];
  head: { listing: TreeListing; files: readonly LoadedFile[]; label: string };
  /** Whether every head app was loaded (then all are cross-checked and reported). */
  fullHeadValidation: boolean;
  /** Judged paths the base and the branch both changed, differently: what merging lands is unknown. */
  conflicts?: readonly string[];
}

export function judgeChange(input: JudgeInput): CheckReport {
  const { diff } = input;
  const changedApps = new Set(diff.apps.filter((c) => c.change !== 'removed').map((c) => c.path));
  const changedPaths = new Set(diff.all.map((c) => c.path));
  const base = assembleSnapshot(input.base.listing, input.base.files, { apps: new Set(), listingPaths: new Set() });
  const head = assembleSnapshot(input.head.listing, input.head.files, {
    apps: input.fullHeadValidation ? undefined : changedApps,
    listingPaths: changedPaths,
    // The base policy's vocabulary: a pull request cannot widen it for its own apps.
    ...(base.policy ? { dataClasses: base.policy.data_classes } : {}),
    // The base directory: an owner the base does not know has nobody who could approve for it.
    ...(base.directory ? { judgingDirectory: base.directory } : {}),
  });

  const findings: Finding[] = [...head.findings];
  if (!input.head.listing.entries.some((e) => e.path === POLICY_PATH) && input.base.listing.entries.some((e) => e.path === POLICY_PATH)) {
    findings.push(
      error(
        'registry.no-policy',
        POLICY_PATH,
        START,
        'This change deletes the approval policy. Without it no later change could be judged: keep policies/approval.yaml.',
      ),
    );
  }
  for (const path of input.conflicts ?? []) findings.push(conflictFinding(path, input.base.label));
  const baseProblem = judgeable(base);
  if (baseProblem) findings.push(baseProblem);
  if (base.files.has(DIRECTORY_PATH) && !base.directory && diff.apps.some((c) => c.change !== 'removed')) {
    // Fail closed: without the directory no owner can be checked and no manager found. A change
    // without apps (e.g. the one that repairs the directory) is not blocked by it.
    findings.push(
      error(
        'base.directory-unusable',
        DIRECTORY_PATH,
        START,
        `The owner directory on the base branch has errors, so no owner can be checked and no manager asked to approve. The platform team must fix ${DIRECTORY_PATH} on the base branch first (run: microapps validate).`,
      ),
    );
  }

  const previous = new Map(input.previous.map((f) => [f.path, f]));
  const moved = removedByName(diff.apps, previous);
  const hints = new ConnectorHintBudget(base.catalog);
  const apps = diff.apps.map((c) => judgeApp(c.path, c.change, base, previous, head, findings, baseProblem !== undefined, moved, hints));
  hints.finish();
  const governance: GovernanceChange[] = diff.governance.map((c) => ({ path: c.path, change: c.change }));
  const required: RequiredApproval[] = [];
  if (governance.length > 0) required.push(governanceApproval(base, governance));
  for (const c of diff.audit) {
    findings.push(
      error(
        AUDIT_MODIFIED,
        c.path,
        START,
        'The audit log is written only by the merge job. A pull request may not add, change or remove anything under audit/: revert this file.',
      ),
    );
  }
  for (const c of diff.generated) {
    findings.push(
      error(
        GENERATED_MODIFIED,
        c.path,
        START,
        'Files under generated/ are rendered from the registry by the merge job. A pull request may not add, change or remove anything there: revert this file and change the manifests or connectors instead.',
      ),
    );
  }

  const decisions: Decision[] = apps.map((a) => a.decision);
  if (governance.length > 0) decisions.push('security_team_review');
  if (diff.audit.length > 0 || diff.generated.length > 0) decisions.push('deny');
  // Any error anywhere, in an app or not, makes the whole change invalid; the audit and
  // generated findings are reasons for a denial, not validation errors, so they decide `deny` alone.
  const validationFindings = findings.filter((f) => f.code !== AUDIT_MODIFIED && f.code !== GENERATED_MODIFIED);
  if (hasErrors(validationFindings) || apps.some((a) => hasErrors(a.findings))) decisions.push('invalid');
  for (const a of apps) if (!isBlocking(a.decision)) required.push(...a.required_approvals);

  const appPaths = new Set(apps.map((a) => a.path));
  const provisioning = previewProvisioning({ diff, baseFiles: input.base.files, previous, head });
  // The one boundary every front door reads: a secret in the change is never repeated.
  return redactDeep<CheckReport>({
    decision: strictest(DECISIONS_BY_STRICTNESS, decisions, 'no_changes'),
    apps,
    governance,
    required_approvals: mergeApprovals(required),
    findings: sortFindings(findings.filter((f) => !appPaths.has(f.path))),
    base: input.base.label,
    head: input.head.label,
    ...(provisioning ? { provisioning } : {}),
  });
}

/** Fails closed: the check cannot say what merging lands, so it judges nothing it would have to guess. */
function conflictFinding(path: string, baseLabel: string): Finding {
  const what = roleOf(path) === 'app' ? 'The app' : 'This file';
  return error(
    'merge.conflict',
    path,
    START,
    `${what} changed on ${baseLabel} since you branched, and your branch changes it too, differently. ` +
      'Update your branch (merge the base branch into it, or rebase) so the check can judge what merging would land.',
  );
}

const AUDIT_MODIFIED = 'audit.modified';
const GENERATED_MODIFIED = 'generated.modified';

/** The base tree must have a working policy: otherwise nothing can be judged, and we fail closed. */
function judgeable(base: RegistrySnapshot): Finding | undefined {
  if (base.policy) return undefined;
  return error(
    'base.policy-unusable',
    POLICY_PATH,
    START,
    base.files.has(POLICY_PATH)
      ? 'The approval policy on the base branch has errors, so no change can be judged. The platform team must fix policies/approval.yaml on the base branch first (run: microapps validate).'
      : 'The base branch has no approval policy (policies/approval.yaml), so no change can be judged. The platform team must add one first.',
  );
}

function judgeApp(
  path: string,
  change: AppReport['change'],
  base: RegistrySnapshot,
  previous: ReadonlyMap<string, LoadedFile>,
  head: RegistrySnapshot,
  allFindings: Finding[],
  baseUnusable: boolean,
  moved: ReadonlyMap<string, AppManifest>,
  hintBudget: ConnectorHintBudget,
): AppReport {
  const findings = sortFindings(allFindings.filter((f) => f.path === path));
  const before = appManifest(previous.get(path));
  const after = change === 'removed' ? undefined : appManifest(head.files.get(path));
  const manifest: AppManifest | undefined = change === 'removed' ? before : after;
  const report: AppReport = {
    app: manifest?.name ?? baseName(path),
    path,
    change,
    decision: 'invalid',
    rules: [],
    required_approvals: [],
    findings,
    reasons: [],
    remedies: [],
    causes: [],
  };
  if (baseUnusable || !base.policy) {
    report.reasons.push("The base branch's policy cannot be used, so this app cannot be judged.");
    return report;
  }
  if (!manifest || hasErrors(findings)) {
    report.reasons.push(
      change === 'removed'
        ? 'The removed manifest could not be read on the base branch.'
        : 'The manifest has errors: fix the problems listed for this file.',
    );
    if (change !== 'removed') {
      // All problems in one run: a denial is said now, not after the errors are fixed.
      const denied = denialDespiteErrors(base.policy, head.files.get(path), base, change, change === 'modified' ? before : undefined);
      report.rules = denied.map((m) => m.id);
      report.reasons.push(...denied.map((m) => `Even with the errors fixed, it would be denied: ${m.reason}`));
      report.remedies = [...new Set(denied.map((m) => m.remedy).filter((r): r is string => !!r))];
      report.causes = decisionCauses(denied, base.policy, head.files.get(path)?.document, base.catalog);
    }
    return report;
  }
  // An app moved to another file is judged as added, but keeps its previous owner: a move is no way around a transfer.
  const was = change === 'modified' ? before : change === 'added' ? moved.get(manifest.name) : undefined;
  const verdict = evaluateChange(
    base.policy,
    {
      kind: change,
      manifest,
      ...(was ? { previous: was } : {}),
    },
    base.catalog,
    base.directory,
  );
  report.decision = verdict.decision;
  report.rules = verdict.rules;
  report.required_approvals = verdict.required_approvals;
  report.findings = sortFindings([...findings, ...verdict.findings.map((f) => ({ ...f, path: f.path || path }))]);
  if (change !== 'removed') report.findings.push(...hintBudget.hints(head.files.get(path)?.document, report.findings));
  sortFindings(report.findings);
  report.reasons = verdict.matches.map((m) => m.reason);
  const defaulted = defaultReason(base.policy, verdict);
  if (defaulted) report.reasons.push(defaulted);
  // A matched auto-approve rule's remedy says how to be auto-approved: nothing to avoid.
  report.remedies = [
    ...new Set(
      verdict.matches
        .filter((m) => m.action !== 'auto_approve')
        .map((m) => m.remedy)
        .filter((r): r is string => !!r),
    ),
  ];
  // A removal's decision is about taking the app away: it has no line to point at in the head.
  if (change !== 'removed') report.causes = decisionCauses(verdict.matches, base.policy, head.files.get(path)?.document, base.catalog);
  return report;
}

/** The removed apps by name: an added app of the same name was moved, not created. */
function removedByName(changes: TreeDiff['apps'], previous: ReadonlyMap<string, LoadedFile>): Map<string, AppManifest> {
  const out = new Map<string, AppManifest>();
  for (const c of changes) {
    const manifest = c.change === 'removed' ? appManifest(previous.get(c.path)) : undefined;
    if (manifest && typeof manifest.name === 'string') out.set(manifest.name, manifest);
  }
  return out;
}

/**
 * The guards and rules that deny a manifest that has errors, judged as written (the facts read
 * every field defensively, so a wrong type reads as absent). Only a denial is said: a lighter
 * decision of a broken file would read as a promise.
 */
export function denialDespiteErrors(
  policy: CompiledPolicy,
  file: LoadedFile | undefined,
  base: Pick<RegistrySnapshot, 'catalog' | 'directory'>,
  kind: 'added' | 'modified' = 'added',
  previous?: AppManifest,
): RuleMatch[] {
  const value = file?.document?.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const verdict = evaluateChange(policy, { kind, manifest: value as AppManifest, previous }, base.catalog, base.directory);
  return verdict.decision === 'deny' ? verdict.matches.filter((m) => m.action === 'deny') : [];
}

function governanceApproval(base: RegistrySnapshot, changes: GovernanceChange[]): RequiredApproval {
  const spec = base.policy?.approvers.governance;
  const reviewers = spec ? [...spec.teams.map((t) => `@${t}`), ...spec.users.map((u) => `@${u}`)] : [];
  const folderOf = (path: string) => {
    // "/action/x.js" (the repository's, see governanceScope) -> "/action/"; "policies/a.yaml" -> "policies/".
    const mark = isRepositoryRootPath(path) ? REPOSITORY_ROOT_MARK : '';
    const rest = path.slice(mark.length);
    return rest.includes('/') ? `${mark}${rest.split('/')[0]}/` : path;
  };
  const folders = [...new Set(changes.map((c) => folderOf(c.path)))];
  const fromTop = changes.some((c) => isRepositoryRootPath(c.path)) ? ` ${REPOSITORY_ROOT_NOTE}` : '';
  return {
    action: 'governance',
    reviewers,
    reason: `This pull request changes ${folders.join(', ')}, which decide how every app is judged (the policy, the connectors, or the check's own code), so the governance approvers must review it.${fromTop}`,
  };
}

/**
 * One entry per approval kind and set of reviewers, reasons merged. Approvals with different
 * reviewers stay apart: two apps of different owners need each owner's own manager, and a
 * single list would let either manager approve both.
 */
function mergeApprovals(approvals: RequiredApproval[]): RequiredApproval[] {
  const byKey = new Map<string, RequiredApproval>();
  for (const a of approvals) {
    const key = `${a.action}\u0000${[...a.reviewers]
      .map((r) => r.toLowerCase())
      .sort()
      .join(',')}`;
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { ...a, reviewers: [...a.reviewers] });
    else {
      if (!seen.reason.includes(a.reason)) seen.reason = `${seen.reason} ${a.reason}`;
      // One approval standing for two differently titled ones is titled by its kind.
      if (seen.title !== a.title) delete seen.title;
    }
  }
  const order = ['manager_approval', 'security_team_review', 'governance'];
  return [...byKey.values()].sort((x, y) => order.indexOf(x.action) - order.indexOf(y.action));
}
