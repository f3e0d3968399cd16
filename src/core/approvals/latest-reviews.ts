/**
 * Each reviewer's deciding review. Only the reviewer's latest review that takes a position
 * decides: APPROVED, CHANGES_REQUESTED or DISMISSED (a dismissed review is a withdrawn one).
 *
 * Decision: a COMMENTED review neither approves nor withdraws an approval, and a PENDING
 * review is an unsent draft. This is GitHub's own rule for a pull request's review decision
 * and branch protection: a manager who approves and then adds a comment has still approved.
 * To withdraw an approval, a reviewer requests changes, or someone dismisses the review.
 *
 * "Latest" is by `submittedAt` (GitHub's time, never a commit date), ties broken by the review
 * id. When a reviewer's order cannot be known (a time that does not parse), their approval does
 * not count: the gate fails closed.
 */
import { loginKey } from './logins.js';
import type { IgnoredApproval, PrReview } from './types.js';
import { WHY } from './words.js';

/** A reviewer whose deciding review is an approval; whether it counts is decided later. */
export interface CandidateApproval {
  /** The login as GitHub spelled it on the review. */
  login: string;
  review: PrReview;
}

export interface LatestDecisions {
  candidates: CandidateApproval[];
  /** Approvals already ruled out: withdrawn, dismissed, deleted accounts, unknown order. */
  ignored: IgnoredApproval[];
}

/** The login GitHub shows for a deleted account. */
export const DELETED_ACCOUNT = 'ghost';

const DECIDING = new Set<string>(['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED']);

export function latestDecisions(reviews: readonly PrReview[]): LatestDecisions {
  const candidates: CandidateApproval[] = [];
  const ignored: IgnoredApproval[] = [];
  const byReviewer = new Map<string, PrReview[]>();
  for (const r of reviews) {
    if (!r || !DECIDING.has(r.state)) continue;
    if (typeof r.user !== 'string' || loginKey(r.user) === '') {
      // A deleted account cannot be checked against anything: never counts.
      if (r.state === 'APPROVED') ignored.push({ login: DELETED_ACCOUNT, reviewId: r.id, why: WHY.deletedAccount });
      continue;
    }
    const key = loginKey(r.user);
    const list = byReviewer.get(key);
    if (list) list.push(r);
    else byReviewer.set(key, [r]);
  }

  for (const list of byReviewer.values()) {
    const approvals = list.filter((r) => r.state === 'APPROVED');
    if (list.some((r) => Number.isNaN(Date.parse(r.submittedAt)))) {
      const last = [...approvals].sort((a, b) => a.id - b.id).at(-1);
      if (last) ignored.push({ login: (last.user as string).trim(), reviewId: last.id, why: WHY.unknownOrder });
      continue;
    }
    const ordered = [...list].sort((a, b) => Date.parse(a.submittedAt) - Date.parse(b.submittedAt) || a.id - b.id);
    const latest = ordered.at(-1)!;
    const login = (latest.user as string).trim();
    if (latest.state === 'APPROVED') {
      candidates.push({ login, review: latest });
    } else if (latest.state === 'DISMISSED') {
      ignored.push({ login, reviewId: latest.id, why: WHY.dismissed });
    } else {
      // Changes requested: an earlier approval, if any, is withdrawn.
      const withdrawn = ordered.filter((r) => r.state === 'APPROVED').at(-1);
      if (withdrawn) ignored.push({ login, reviewId: withdrawn.id, why: WHY.changesRequested });
    }
  }
  return { candidates, ignored };
}
