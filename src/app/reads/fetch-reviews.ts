/** The pull request's reviews (GET .../pulls/{n}/reviews, every page), as the approval gate reads them. */
import type { PagingGitHubClient } from '../../adapters/github/index.js';
import type { PrReview, ReviewState } from '../../core/approvals/index.js';
import type { PullRequestRef } from '../delivery/events.js';
import { listAll } from '../../adapters/github/index.js';

interface ApiReview {
  id: number;
  user: { login: string } | null;
  state: string;
  commit_id: string | null;
  submitted_at?: string;
}

const STATES = new Set<string>(['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED', 'PENDING']);

export async function fetchReviews(octokit: PagingGitHubClient, ref: PullRequestRef): Promise<PrReview[]> {
  const reviews = await listAll<ApiReview>(octokit, 'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
    owner: ref.owner,
    repo: ref.repo,
    pull_number: ref.pullNumber,
  });
  return reviews.map((r) => ({
    id: r.id,
    user: r.user?.login ?? null,
    // A state GitHub adds later is treated as a comment: it never counts as an approval.
    state: (STATES.has(r.state) ? r.state : 'COMMENTED') as ReviewState,
    commitId: r.commit_id ?? '',
    submittedAt: r.submitted_at ?? '',
  }));
}
