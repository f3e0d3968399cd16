/**
 * Everything the approval gate judges about a pull request, fetched fresh (DESIGN.md section 4):
 * its reviews, its commits and force-pushers, the members of the teams named as reviewers, and
 * the governed fingerprint of every commit an approval was given on. Used for the check on each
 * event and, at merge time, for the approvals the audit entry records.
 */
import type { PagingGitHubClient, GitHubTree } from '../../adapters/github/index.js';
import type { PullRequestSnapshot } from '../../core/approvals/index.js';
import type { RequiredApproval } from '../../core/model.js';
import type { PullRequestRef } from '../delivery/events.js';
import { fetchCommits } from './fetch-commits.js';
import { fetchReviews } from './fetch-reviews.js';
import { fetchTeamMembers } from './fetch-teams.js';
import { fetchFingerprints } from './fingerprints.js';

export interface SnapshotRequest {
  author: string;
  headSha: string;
  /** The head commit's tree: its listing gives the head's fingerprint. */
  head: GitHubTree;
  required: readonly RequiredApproval[];
  /** The base policy's governance paths: the fingerprint covers them (default: the built-in list). */
  governancePaths?: readonly string[];
}

export async function fetchSnapshot(
  octokit: PagingGitHubClient,
  ref: PullRequestRef,
  request: SnapshotRequest,
): Promise<PullRequestSnapshot> {
  const [reviews, { commits, pushers }, teamMembers] = await Promise.all([
    fetchReviews(octokit, ref),
    fetchCommits(octokit, ref),
    fetchTeamMembers(octokit, request.required),
  ]);
  const governedFingerprint = await fetchFingerprints(octokit, ref, request.head, reviews, request.governancePaths);
  return { author: request.author, headSha: request.headSha, reviews, commits, pushers, governedFingerprint, teamMembers };
}
