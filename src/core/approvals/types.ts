/**
 * The data the approval gate judges (DESIGN.md section 4, invariant 7). The GitHub App fetches
 * it fresh on every event and hands it over; nothing here does I/O or caches across calls.
 */
import type { ApprovalKind } from '../model.js';

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

export interface PrReview {
  /** GitHub's review id: increases with time, breaks ties between equal `submittedAt`. */
  id: number;
  /** Login of the reviewer; null when the account was deleted ("ghost"). */
  user: string | null;
  state: ReviewState;
  /** The commit the review was given on (`commit_id`). */
  commitId: string;
  /** ISO 8601 time GitHub recorded (`submitted_at`); may be empty for PENDING reviews. */
  submittedAt: string;
}

export interface PrCommit {
  sha: string;
  /** Logins of the commit's author and committer; empty when GitHub could not link them to accounts. */
  authors: string[];
}

/** A pull request as the App fetches it, with everything the gate needs resolved. */
export interface PullRequestSnapshot {
  /** Login of the pull request's author. */
  author: string;
  /** The head commit the check run is for. */
  headSha: string;
  reviews: PrReview[];
  commits: PrCommit[];
  /** Logins that pushed to the PR's branch (timeline `committed` / `head_ref_force_pushed` events, push events). */
  pushers: string[];
  /**
   * Commit sha -> hash of the governed files at that commit (see `governedFingerprint`).
   * Missing or undefined means unknown: an approval on such a commit does not count (fails closed).
   */
  governedFingerprint: Record<string, string | undefined>;
  /** "org/slug" -> member logins, resolved at evaluation time. A team missing here has no known member. */
  teamMembers: Record<string, string[]>;
}

/** A review that was an approval (or had been one) and does not count, with the reason in plain words. */
export interface IgnoredApproval {
  login: string;
  reviewId: number;
  why: string;
}

/** Where one required approval stands. All strings are raw: escape them before putting them into Markdown. */
export interface ApprovalResult {
  action: ApprovalKind;
  reason: string;
  /** The requirement's own heading, when it has one (RequiredApproval.title). */
  title?: string;
  /** The reviewers the policy names, as given ("@login", "@org/slug"). */
  reviewers: string[];
  /** Logins (without "@") who may give this approval now: the users plus the teams' members, minus the author, committers and pushers. */
  eligible: string[];
  /** Logins whose approval counts for this one. */
  satisfiedBy: string[];
  satisfied: boolean;
  /** True when nobody at all can give this approval: only the platform team can fix it. */
  unsatisfiable: boolean;
  /** Who still has to approve, in plain words; empty when satisfied. */
  pending: string;
  /** Approvals that do not count for this requirement, and why. */
  ignored: IgnoredApproval[];
  /** Teams named as reviewers whose members were not supplied: treated as having no member. */
  unresolvedTeams: string[];
}

export interface ApprovalStatus {
  /** True when every required approval is satisfied (also when none is required). */
  satisfied: boolean;
  approvals: ApprovalResult[];
  /** Approvals that count for no required approval at all, and why. */
  ignored: IgnoredApproval[];
}
