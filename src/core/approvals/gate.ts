/**
 * The gate's verdict for the App's check run: it passes only when the policy check allows the
 * change and every approval it requires is present. A status that was not evaluated for the
 * report's required approvals fails closed rather than pass on the wrong list.
 */
import type { CheckReport } from '../check/report.js';
import type { RequiredApproval } from '../model.js';
import { loginKey } from './logins.js';
import type { ApprovalStatus } from './types.js';
import { approvalTitle, listText } from './words.js';

export interface GateOutcome {
  pass: boolean;
  /** One line for the check run's title, plain words, no untrusted text. */
  title: string;
}

export function approvalGate(status: ApprovalStatus, checkReport?: CheckReport): GateOutcome {
  if (checkReport?.decision === 'invalid') return { pass: false, title: 'Some files have errors: fix them before approvals can count' };
  if (checkReport?.decision === 'deny')
    return { pass: false, title: 'The policy does not allow this change: approvals cannot change that' };
  if (checkReport && !sameRequirements(checkReport.required_approvals, status.approvals)) {
    return { pass: false, title: 'The approval status does not match the policy check: run the check again' };
  }
  const blocked = status.approvals.filter((a) => !a.satisfied && a.unsatisfiable);
  if (blocked.length > 0) {
    return { pass: false, title: `Nobody can give the ${titles(blocked)} approval: ask the platform team` };
  }
  const missing = status.approvals.filter((a) => !a.satisfied);
  if (missing.length > 0 || !status.satisfied) {
    return { pass: false, title: `Waiting for approval: ${titles(missing)}` };
  }
  return { pass: true, title: status.approvals.length === 0 ? 'No approval needed' : 'All required approvals given' };
}

function titles(approvals: ApprovalStatus['approvals']): string {
  return listText([...new Set(approvals.map((a) => lowerFirst(approvalTitle(a))))], 'and');
}

/** Same approvals (action and reviewers, in any order), as a multiset. */
function sameRequirements(required: readonly RequiredApproval[], evaluated: ApprovalStatus['approvals']): boolean {
  const key = (a: { action: string; reviewers: readonly string[] }) =>
    JSON.stringify([a.action, [...new Set(a.reviewers.map(loginKey))].sort()]);
  const want = required.map(key).sort();
  const got = evaluated.map(key).sort();
  return want.length === got.length && want.every((k, i) => k === got[i]);
}

/** "Owner's manager" -> "owner's manager"; an address in a title keeps its case. */
function lowerFirst(title: string): string {
  return title.charAt(0).toLowerCase() + title.slice(1);
}
