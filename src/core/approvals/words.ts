/**
 * The plain words of the approval gate, for citizen developers and their managers. Every
 * string is raw: the renderer escapes it before it goes into Markdown.
 */
import type { ApprovalKind } from '../model.js';
import { parseReviewer } from './logins.js';

/** Why an approval does not count. Each reads after the reviewer's name: "@alice: <why>". */
export const WHY = {
  deletedAccount: "the reviewer's GitHub account was deleted",
  unknownOrder: 'GitHub gave no time for one of their reviews, so their latest review is unknown; they need to approve again',
  dismissed: 'review was dismissed; they need to approve again',
  changesRequested: 'approved, then asked for changes; their latest review is the one that counts',
  author: 'is the author of the pull request',
  committer: 'wrote or committed changes in this pull request',
  pusher: 'pushed commits to this pull request',
  stale: 'approved an earlier version of the manifests; the registry files changed since',
  unknownFingerprint:
    'approved an earlier commit whose registry files could not be compared with the latest version; they need to approve again',
} as const;

/** Headings: who gives each approval. */
export const APPROVAL_TITLE: Record<ApprovalKind, string> = {
  manager_approval: "Owner's manager",
  security_team_review: 'Security team',
  governance: 'Governance approvers',
};

/** The heading of one evaluated approval: its own title, else its kind's. */
export function approvalTitle(a: { action: ApprovalKind; title?: string }): string {
  return a.title ?? APPROVAL_TITLE[a.action] ?? String(a.action);
}

/** The approval as the object of a sentence: "nobody is configured to approve <this>". */
export const APPROVAL_NOUN: Record<ApprovalKind, string> = {
  manager_approval: "the owner's manager's approval",
  security_team_review: 'the security review',
  governance: 'the governance review',
};

/** What someone approves: "nobody is configured to approve <this>". */
export const APPROVE_AS: Record<ApprovalKind, string> = {
  manager_approval: "as the owner's manager",
  security_team_review: 'for the security team',
  governance: 'changes to the policies, connectors or templates',
};

/** "a", "a or b", "a, b or c"; past `cap` items: "a, b or 3 others". */
export function listText(items: readonly string[], conjunction: 'or' | 'and', cap = Number.POSITIVE_INFINITY): string {
  if (items.length <= cap) {
    if (items.length <= 1) return items.join('');
    return `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)}`;
  }
  const shown = items.slice(0, Math.max(cap, 0));
  const rest = items.length - shown.length;
  const more = `${rest} other${rest === 1 ? '' : 's'}`;
  return shown.length === 0 ? more : `${shown.join(', ')} ${conjunction} ${more}`;
}

export const at = (login: string): string => `@${login.replace(/^@/, '')}`;

/** "is not in @org/security or among the owner's managers (@alice)", for reviewers of one or more approvals. */
export function notEligibleWhy(approvals: ReadonlyArray<{ action: ApprovalKind; reviewers: readonly string[] }>): string {
  const clauses: string[] = [];
  for (const a of approvals) {
    const specs = a.reviewers.map(parseReviewer);
    const teams = specs.flatMap((s) => (s?.kind === 'team' ? [at(s.team)] : []));
    const users = specs.flatMap((s) => (s?.kind === 'user' ? [at(s.login)] : []));
    if (teams.length > 0) clauses.push(`in ${listText(teams, 'or', 5)}`);
    if (users.length > 0) {
      const who = listText(users, 'or', 5);
      clauses.push(a.action === 'manager_approval' ? `among the owner's managers (${who})` : `among ${who}`);
    }
  }
  const unique = [...new Set(clauses)];
  return unique.length === 0 ? 'is not among the people who can approve' : `is not ${unique.join(' or ')}`;
}
