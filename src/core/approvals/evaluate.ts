/**
 * The approval gate's decision (DESIGN.md section 4, invariant 7): which required approvals the
 * pull request's reviews satisfy. An approval counts only when all of these hold:
 *
 * - it is the reviewer's deciding review and it is APPROVED (latest-reviews.ts: comments never
 *   count, a later request for changes or a dismissal withdraws it);
 * - the reviewer's account exists (a deleted account never counts);
 * - the reviewer is not the author, and did not author, commit or push commits in the PR;
 * - it was given on the head commit, or on one whose governed files equal the head's
 *   (freshness.ts; unknown fails closed);
 * - the reviewer is eligible for that requirement: named, or a current member of a named team.
 *
 * Decision: one person's approval satisfies every requirement they are eligible for. Someone in
 * the security team who is also the owner's manager gives both approvals with one review.
 * DESIGN.md does not ask for distinct people, and GitHub's own code-owner reviews work the same
 * way; an organisation that wants four eyes per requirement can make the approver lists disjoint
 * in its policy (a later policy option could enforce distinct approvers here).
 */
import type { RequiredApproval } from '../model.js';
import { exclusionsOf, exclusionWhy, eligibleReviewers, type Exclusions } from './eligibility.js';
import { reviewFreshness } from './freshness.js';
import { latestDecisions, type CandidateApproval } from './latest-reviews.js';
import { LoginSet } from './logins.js';
import type { ApprovalResult, ApprovalStatus, IgnoredApproval, PullRequestSnapshot } from './types.js';
import { APPROVAL_NOUN, APPROVE_AS, at, listText, notEligibleWhy, WHY } from './words.js';

/** How many people a `pending` sentence names before it says "and N others". */
const PENDING_NAMES = 10;

export function evaluateApprovals(required: readonly RequiredApproval[], pr: PullRequestSnapshot): ApprovalStatus {
  const ex = exclusionsOf(pr);
  const { candidates, ignored: withdrawn } = latestDecisions(pr.reviews ?? []);

  // Reasons that rule an approval out for every requirement.
  const valid: CandidateApproval[] = [];
  const ruledOut: IgnoredApproval[] = [...withdrawn];
  for (const c of candidates) {
    const why = exclusionWhy(c.login, ex) ?? freshnessWhy(c.review.commitId, pr);
    if (why) ruledOut.push({ login: c.login, reviewId: c.review.id, why });
    else valid.push(c);
  }

  const approvals = required.map((r) => evaluateOne(r, pr, ex, valid, ruledOut));
  const counted = new LoginSet(approvals.flatMap((a) => a.satisfiedBy));
  const unused = required.length === 0 ? [] : valid.filter((c) => !counted.has(c.login));
  const outsider = unused.length > 0 ? notEligibleWhy(required.map((r) => ({ action: r.action, reviewers: reviewersOf(r) }))) : '';
  return {
    satisfied: approvals.every((a) => a.satisfied),
    approvals,
    ignored: [...ruledOut, ...unused.map((c) => ({ login: c.login, reviewId: c.review.id, why: outsider }))],
  };
}

function evaluateOne(
  required: RequiredApproval,
  pr: PullRequestSnapshot,
  ex: Exclusions,
  valid: readonly CandidateApproval[],
  ruledOut: readonly IgnoredApproval[],
): ApprovalResult {
  const reviewers = reviewersOf(required);
  const resolved = eligibleReviewers(reviewers, pr.teamMembers, ex);
  const counting = valid.filter((c) => resolved.eligible.has(c.login));
  const notHere = notEligibleWhy([{ action: required.action, reviewers }]);
  const satisfied = counting.length > 0;
  const unsatisfiable = resolved.eligible.size === 0;
  const noun = APPROVAL_NOUN[required.action] ?? 'this approval';

  let pending = '';
  if (!satisfied && unsatisfiable) {
    if (resolved.unresolvedTeams.length > 0) {
      pending = `nobody can give ${noun}: the members of ${listText(resolved.unresolvedTeams.map(at), 'and')} could not be looked up; ask the platform team`;
    } else if (resolved.configured.size > 0) {
      pending = `nobody is left to give ${noun}: everyone who could is the author or changed this pull request; ask the platform team`;
    } else {
      pending = `nobody is configured to approve ${APPROVE_AS[required.action] ?? 'this'}: ask the platform team`;
    }
  } else if (!satisfied) {
    const who = [...resolved.eligibleUsers.map(at), ...resolved.eligibleTeams.map((t) => `a member of ${at(t)}`)];
    pending = `an approval from ${listText(who, 'or', PENDING_NAMES)}`;
    if (resolved.unresolvedTeams.length > 0) {
      pending += ` (the members of ${listText(resolved.unresolvedTeams.map(at), 'and')} could not be looked up)`;
    }
  }

  return {
    action: required.action,
    reason: typeof required.reason === 'string' ? required.reason : '',
    ...(typeof required.title === 'string' && required.title !== '' ? { title: required.title } : {}),
    reviewers: [...reviewers],
    eligible: [...resolved.eligible],
    satisfiedBy: counting.map((c) => c.login),
    satisfied,
    unsatisfiable,
    pending,
    ignored: [
      ...ruledOut,
      ...valid.filter((c) => !resolved.eligible.has(c.login)).map((c) => ({ login: c.login, reviewId: c.review.id, why: notHere })),
    ],
    unresolvedTeams: resolved.unresolvedTeams,
  };
}

function reviewersOf(required: RequiredApproval): string[] {
  return Array.isArray(required.reviewers) ? required.reviewers.filter((r): r is string => typeof r === 'string') : [];
}

function freshnessWhy(commitId: string, pr: PullRequestSnapshot): string | undefined {
  const freshness = reviewFreshness(commitId, pr);
  return freshness === 'current' ? undefined : freshness === 'stale' ? WHY.stale : WHY.unknownFingerprint;
}
