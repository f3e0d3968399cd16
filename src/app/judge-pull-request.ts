/**
 * The policy check of a pull request through GitHub's API, with the same core as the CLI and
 * the Action: base = the base branch's commit now (its policy, connectors and directory judge),
 * origin = where the change started (the merge base), head = the PR's head commit; what is
 * judged is base -> the merge of the head onto the base (src/core/check/merge-listings.ts).
 * Returns the head source too: its listing is reused for the governed fingerprint.
 */
import { GitHubTree, mergeBaseOf, type BlobCache, type GitHubClient } from '../adapters/github/index.js';
import type { CheckReport } from '../core/check/report.js';
import { judgeSourcesWithScope } from '../pipeline/judge-sources.js';
import type { PullRequestRef } from './events.js';
import type { PullRequestState } from './pull-request.js';

export interface JudgedPullRequest {
  report: CheckReport;
  head: GitHubTree;
  governancePaths: readonly string[];
}

export async function judgePullRequest(octokit: GitHubClient, ref: PullRequestRef, pr: PullRequestState, blobCache?: BlobCache): Promise<JudgedPullRequest> {
  const tree = (sha: string, label: string) => new GitHubTree({ octokit, owner: ref.owner, repo: ref.repo, commitOrTreeSha: sha, label, blobCache });
  const originSha = await mergeBaseOf(octokit, ref.owner, ref.repo, pr.baseSha, pr.headSha);
  const base = tree(pr.baseSha, `${pr.baseRef} (${pr.baseSha.slice(0, 7)})`);
  const head = tree(pr.headSha, `${pr.headRef} (${pr.headSha.slice(0, 7)})`);
  const origin = originSha === pr.baseSha ? base : tree(originSha, `merge base ${originSha.slice(0, 7)}`);
  return { ...(await judgeSourcesWithScope(base, origin, head)), head };
}
