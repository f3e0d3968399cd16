/**
 * The policy check of a pull request through GitHub's API, with the same core as the CLI and
 * the Action: base = the base branch's tip now, asked of GitHub at every evaluation (never the
 * pull request's recorded base.sha, which lags behind the branch; see pull-request.ts): its
 * policy, connectors and directory judge;
 * origin = where the change started (the merge base), head = the PR's head commit; what is
 * judged is base -> the merge of the head onto the base (src/core/check/merge-listings.ts).
 * Returns the head source too: its listing is reused for the governed fingerprint.
 */
import { GitHubTree, mergeBaseOf, type BlobCache, type GitHubClient } from '../../adapters/github/index.js';
import type { CheckReport } from '../../core/check/report.js';
import { judgeSourcesWithScope } from '../../pipeline/judge-sources.js';
import type { PullRequestRef } from '../delivery/events.js';
import { branchTipOf, type PullRequestState } from '../reads/pull-request.js';

export interface JudgedPullRequest {
  report: CheckReport;
  head: GitHubTree;
  governancePaths: readonly string[];
}

export async function judgePullRequest(
  octokit: GitHubClient,
  ref: PullRequestRef,
  pr: PullRequestState,
  blobCache?: BlobCache,
): Promise<JudgedPullRequest> {
  const tree = (sha: string, label: string) =>
    new GitHubTree({ octokit, owner: ref.owner, repo: ref.repo, commitOrTreeSha: sha, label, blobCache });
  const baseSha = await branchTipOf(octokit, ref, pr.baseRef);
  const originSha = await mergeBaseOf(octokit, ref.owner, ref.repo, baseSha, pr.headSha);
  const base = tree(baseSha, `${pr.baseRef} (${baseSha.slice(0, 7)})`);
  const head = tree(pr.headSha, `${pr.headRef} (${pr.headSha.slice(0, 7)})`);
  const origin = originSha === baseSha ? base : tree(originSha, `merge base ${originSha.slice(0, 7)}`);
  return { ...(await judgeSourcesWithScope(base, origin, head)), head };
}
