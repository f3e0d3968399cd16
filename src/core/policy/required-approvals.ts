/**
 * Turns matching rules into the approvals an app needs, with the reviewers who may give them.
 * Reviewers: the owner's managers from the owner directory as "@login" (when the policy says
 * owner_managers), the configured teams as "@org/slug" and users as "@login".
 */
import { START, warning, type Finding, type Position } from '../findings.js';
import type { Action, AppManifest, ApprovalKind, OwnerDirectory, RequiredApproval } from '../model.js';
import { DIRECTORY_PATH } from '../tree.js';
import { OWNER_TRANSFER_GUARD } from './guards.js';
import type { ApproverSpec, CompiledPolicy, RuleMatch } from './types.js';

/** Where findings about one app's evaluation point (the engine itself knows no file of the app). */
export interface EvaluateOptions {
  /** Path of the app's manifest; findings about the owner point there. Absent: "" (the caller fills it in). */
  manifestPath?: string;
  /** Position of the manifest's `owner` value. */
  ownerPosition?: Position;
}

const APPROVAL_ACTIONS: readonly ApprovalKind[] = ['manager_approval', 'security_team_review'];

/**
 * The reviewer handles one approval lists: "@login" for the owner's managers (when the spec says
 * owner_managers), "@org/slug" for teams, "@login" for users. Who of them may approve a given pull
 * request is decided later, by core/approvals' eligibleReviewers.
 */
export function reviewerHandles(
  spec: ApproverSpec,
  owner: string,
  directory: OwnerDirectory | undefined,
): { reviewers: string[]; managerMissing: boolean } {
  // Own keys only: an owner called "constructor" must not reach Object.prototype.
  const entry = directory && Object.hasOwn(directory.owners, owner) ? directory.owners[owner] : undefined;
  const listed = Array.isArray(entry?.managers) ? entry.managers.filter((m) => typeof m === 'string' && m !== '') : [];
  const managers = spec.owner_managers ? listed : [];
  const reviewers = [
    ...managers.map((m) => `@${m.replace(/^@/, '')}`),
    ...spec.teams.map((t) => `@${t}`),
    ...spec.users.map((u) => `@${u}`),
  ];
  return { reviewers: [...new Set(reviewers)], managerMissing: spec.owner_managers && managers.length === 0 };
}

/**
 * The union of approvals over the matching actions. A deny needs no approval (nothing can
 * approve it) and auto_approve needs none by definition.
 */
export function requiredApprovals(
  decision: Action,
  matches: readonly RuleMatch[],
  policy: CompiledPolicy,
  manifest: AppManifest,
  directory: OwnerDirectory | undefined,
  options: EvaluateOptions = {},
  transfer?: { from: string; to: string },
): { approvals: RequiredApproval[]; findings: Finding[] } {
  if (decision === 'deny') return { approvals: [], findings: [] };
  const approvals: RequiredApproval[] = [];
  const findings: Finding[] = [];
  const owner = typeof manifest.owner === 'string' ? manifest.owner : '';
  for (const action of APPROVAL_ACTIONS) {
    const why = matches.filter((m) => m.action === action && m.id !== OWNER_TRANSFER_GUARD);
    if (why.length === 0) continue;
    const { reviewers, managerMissing } = reviewerHandles(policy.approvers[action], owner, directory);
    approvals.push({ action, reviewers, reason: why.map((m) => m.reason).join(' ') });
    if (managerMissing) {
      findings.push(
        warning(
          'directory.no-manager',
          options.manifestPath ?? '',
          options.ownerPosition ?? START,
          `This app needs its owner's manager to approve, but the owner directory (${DIRECTORY_PATH}) names no manager for "${owner}". Add the owner and its managers to the directory, or ask the platform team.`,
        ),
      );
    }
    if (reviewers.length === 0 && !managerMissing) {
      findings.push(
        warning(
          'policy.no-reviewers',
          policy.path,
          START,
          `This app needs a ${action === 'manager_approval' ? 'manager approval' : 'security review'}, but the policy names nobody who can give it. Add people or teams under "approvers: ${action}".`,
        ),
      );
    }
  }
  if (transfer && matches.some((m) => m.id === OWNER_TRANSFER_GUARD)) {
    approvals.push(...transferApprovals(transfer, directory, options, findings));
  }
  return { approvals, findings };
}

/**
 * A transfer needs one manager of each side, from the owner directory, whatever the policy's
 * approvers say: two separate approvals, so neither side's manager can hand the app over alone.
 * An owner with no manager leaves its approval with nobody to give it (fails closed).
 */
function transferApprovals(
  transfer: { from: string; to: string },
  directory: OwnerDirectory | undefined,
  options: EvaluateOptions,
  findings: Finding[],
): RequiredApproval[] {
  const managersOnly: ApproverSpec = { owner_managers: true, teams: [], users: [] };
  const sides = [
    {
      owner: transfer.from,
      title: `Manager of the old owner, ${transfer.from}`,
      reason: `The app is handed over by ${transfer.from}: one of its managers must approve giving it away.`,
    },
    {
      owner: transfer.to,
      title: `Manager of the new owner, ${transfer.to}`,
      reason: `The app is handed over to ${transfer.to}: one of its managers must approve taking it on.`,
    },
  ];
  return sides.map(({ owner, title, reason }) => {
    const { reviewers, managerMissing } = reviewerHandles(managersOnly, owner, directory);
    if (managerMissing) {
      findings.push(
        warning(
          'directory.no-manager',
          options.manifestPath ?? '',
          options.ownerPosition ?? START,
          `This app changes owner, which a manager of ${owner} must approve, but the owner directory (${DIRECTORY_PATH}) names no manager for "${owner}". Add the owner and its managers to the directory, or ask the platform team.`,
        ),
      );
    }
    return { action: 'manager_approval' as const, reviewers, reason, title };
  });
}
