/**
 * The approval gate's public API (DESIGN.md section 4, invariant 7). Pure: no I/O anywhere below.
 * The GitHub App fetches a `PullRequestSnapshot` on every event, calls `evaluateApprovals` with
 * the check report's `required_approvals`, and publishes `approvalGate` and `renderApprovalStatus` (core/render/approvals).
 */
export { evaluateApprovals } from './evaluate.js';
export { approvalGate, type GateOutcome } from './gate.js';
export { governedFingerprint } from './fingerprint.js';
export { reviewFreshness, type Freshness } from './freshness.js';
export { latestDecisions, DELETED_ACCOUNT, type CandidateApproval, type LatestDecisions } from './latest-reviews.js';
export { loginKey, parseReviewer, LoginSet, type ReviewerSpec } from './logins.js';
export { planReviewRequests, type ReviewRequestContext, type ReviewRequestPlan } from './review-requests.js';
export { WHY } from './words.js';
export type * from './types.js';
