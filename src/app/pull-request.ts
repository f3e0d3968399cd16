/**
 * The pull request as GitHub says it is now (GET /repos/{owner}/{repo}/pulls/{pull_number}):
 * its author and its base and head commits. The payload's copy may be stale or out of order.
 */
import type { GitHubClient } from '../adapters/github/index.js';
import type { PullRequestRef } from './events.js';

export interface PullRequestState {
  author: string;
  baseSha: string;
  baseRef: string;
  headSha: string;
  headRef: string;
}

export async function fetchPullRequest(octokit: GitHubClient, ref: PullRequestRef): Promise<PullRequestState> {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
    owner: ref.owner,
    repo: ref.repo,
    pull_number: ref.pullNumber,
  });
  const author = data.user?.login;
  if (!author) throw new Error(`GitHub did not say who opened pull request #${ref.pullNumber}.`);
  return { author, baseSha: data.base.sha, baseRef: data.base.ref, headSha: data.head.sha, headRef: data.head.ref };
}
