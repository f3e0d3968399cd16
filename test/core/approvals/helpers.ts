import type { PrReview, PullRequestSnapshot } from '../../../src/core/approvals/types.js';
import type { RequiredApproval } from '../../../src/core/model.js';

export const HEAD = 'h'.repeat(40);
export const EARLIER = 'e'.repeat(40);
export const OLDER = 'o'.repeat(40);

export const manager = (...reviewers: string[]): RequiredApproval => ({
  action: 'manager_approval',
  reviewers: reviewers.length ? reviewers : ['@mona'],
  reason: "Production apps that read HR data need the owner's manager.",
});

export const security = (...reviewers: string[]): RequiredApproval => ({
  action: 'security_team_review',
  reviewers: reviewers.length ? reviewers : ['@acme/security'],
  reason: 'Apps that handle PII need a security review.',
});

let nextId = 1;
/** A review; times are minutes after a fixed start so order is explicit. */
export function review(user: string | null, state: PrReview['state'], minute: number, extra: Partial<PrReview> = {}): PrReview {
  return {
    id: extra.id ?? nextId++,
    user,
    state,
    commitId: HEAD,
    submittedAt: new Date(Date.UTC(2025, 0, 1, 12, minute)).toISOString(),
    ...extra,
  };
}

export const approve = (user: string | null, minute = 1, extra: Partial<PrReview> = {}) => review(user, 'APPROVED', minute, extra);

export function snapshot(overrides: Partial<PullRequestSnapshot> = {}): PullRequestSnapshot {
  return {
    author: 'dev',
    headSha: HEAD,
    reviews: [],
    commits: [{ sha: HEAD, authors: ['dev'] }],
    pushers: ['dev'],
    governedFingerprint: { [HEAD]: 'sha256:current', [EARLIER]: 'sha256:current', [OLDER]: 'sha256:previous' },
    teamMembers: { 'acme/security': ['sam', 'sue'] },
    ...overrides,
  };
}
