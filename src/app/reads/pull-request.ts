/**
 * The pull request as GitHub says it is now (GET /repos/{owner}/{repo}/pulls/{pull_number}):
 * its author, base branch and head commit, labels and pending review requests, and the
 * repository's default branch (where the App's configuration is read). The payload's copy may
 * be stale or out of order, so it is never used.
 *
 * Its `base.sha` is not kept: GitHub sets it when the pull request is opened and moves it only
 * when the head is pushed, so after the base branch moves (a connector restricted, an app
 * promoted) it still names the old base, and a review or a re-judgement after the push would be
 * judged by the old policy (issue 9, section 1). The base commit is the base branch's tip at
 * evaluation time instead (branchTipOf, read by judge-pull-request.ts); a base branch that is
 * gone fails closed.
 */
import { statusOf, type GitHubClient } from '../../adapters/github/index.js';
import { SourceError } from '../../core/errors.js';
import type { PullRequestRef } from '../delivery/events.js';

export interface PullRequestState {
  author: string;
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

const SHA = /^[0-9a-f]{40}$/;

/** Where branch `branch` points now; a branch that is gone (404) is a plain-words error. */
export async function branchTipOf(octokit: GitHubClient, ref: PullRequestRef, branch: string): Promise<string> {
  const where = `${ref.owner}/${ref.repo}`;
  let data: { ref: string; object: { sha: string; type: string } };
  try {
    // One path parameter: Octokit encodes the whole name, slashes included (heads%2Frelease%2Fv1).
    ({ data } = await octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', {
      owner: ref.owner,
      repo: ref.repo,
      ref: `heads/${branch}`,
    }));
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
    throw new SourceError(
      `The branch "${branch}" that pull request #${ref.pullNumber} would merge into no longer exists in ${where} (GitHub answered 404), ` +
        "so the change cannot be judged against it. Change the pull request's base branch to a branch that exists, or restore the branch.",
    );
  }
  const sha = data.object?.sha?.toLowerCase();
  if (data.ref !== `refs/heads/${branch}` || data.object?.type !== 'commit' || !sha || !SHA.test(sha)) {
    throw new SourceError(
      `GitHub did not say which commit the branch "${branch}" of ${where} points to, so pull request #${ref.pullNumber} cannot be judged against it.`,
    );
  }
  return sha;
}
