import type { ApprovalKind, Decision } from '../model.js';

/** How each decision reads to a citizen developer. */
export const DECISION_WORDS: Record<Decision, string> = {
  no_changes: 'no app changes',
  auto_approve: 'auto-approved',
  manager_approval: "needs the owner's manager to approve",
  security_team_review: 'needs a security team review',
  deny: 'denied',
  invalid: 'invalid: fix the errors listed',
};

export const APPROVAL_WORDS: Record<ApprovalKind, string> = {
  manager_approval: "owner's manager",
  security_team_review: 'security team',
  governance: 'governance approvers',
};

/** Who gives an approval, in a sentence: its own title when it has one (an owner transfer's two managers), else its kind's. */
export function approvalWords(a: { action: ApprovalKind; title?: string }): string {
  return a.title ? a.title.charAt(0).toLowerCase() + a.title.slice(1) : APPROVAL_WORDS[a.action];
}

export function reviewersText(reviewers: readonly string[]): string {
  return reviewers.length > 0 ? reviewers.join(', ') : 'nobody is configured: ask the platform team';
}
