/**
 * The pull request as GitHub says it is now (GET /repos/{owner}/{repo}/pulls/{pull_number}):
 * its author, base and head commits, labels and pending review requests, and the repository's
 * default branch (where the App's configuration is read). The payload's copy may be stale or
 * out of order, so it is never used.
 */
import type { GitHubClient } from '../adapters/github/index.js';
import type { PullRequestRef } from './events.js';

export interface PullRequestState {
  author: string;
  baseSha: string;
  baseRef: string;
  headSha: string;
  headRef: string;
  open: boolean;
  defaultBranch: string;
  labels: string[];
  requestedUsers: string[];
  /** Team slugs. */
  requestedTeams: string[];
}

export async function fetchPullRequest(octokit: GitHubClient, ref: PullRequestRef): Promise<PullRequestState> {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
    owner: ref.owner,
    repo: ref.repo,
    pull_number: ref.pullNumber,
  });
  const author = data.user?.login;
  if (!author) throw new Error(`GitHub did not say who opened pull request #${ref.pullNumber}.`);
  return {
    author,
    baseSha: data.base.sha,
    baseRef: data.base.ref,
    headSha: data.head.sha,
    headRef: data.head.ref,
    open: data.state === 'open',
    defaultBranch: data.base.repo.default_branch,
    labels: data.labels.map((l) => l.name).filter((n): n is string => typeof n === 'string'),
    requestedUsers: (data.requested_reviewers ?? []).map((u) => u.login),
    requestedTeams: (data.requested_teams ?? []).map((t) => t.slug),
  };
}
