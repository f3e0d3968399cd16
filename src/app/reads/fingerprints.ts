/**
 * The governed fingerprint of the head and of every commit an approval was given on, from
 * each commit's tree listing (GitHubTree). A commit GitHub no longer has (force-pushed away)
 * stays unknown, so an approval on it does not count (fails closed).
 */
import { GitHubTree, type GitHubClient } from '../../adapters/github/index.js';
import { SourceError } from '../../core/errors.js';
import { governedFingerprint, type PrReview } from '../../core/approvals/index.js';
import { DEFAULT_GOVERNANCE_PATHS } from '../../core/tree.js';
import type { PullRequestRef } from '../delivery/events.js';

export async function fetchFingerprints(
  octokit: GitHubClient,
  ref: PullRequestRef,
  head: GitHubTree,
  reviews: readonly PrReview[],
  governancePaths: readonly string[] = DEFAULT_GOVERNANCE_PATHS,
): Promise<Record<string, string | undefined>> {
  const out: Record<string, string | undefined> = {
    [head.commitOrTreeSha]: governedFingerprint(await head.listing(governancePaths), governancePaths),
  };
  const reviewed = new Set(reviews.filter((r) => r.state === 'APPROVED' && r.commitId).map((r) => r.commitId));
  for (const sha of reviewed) {
    if (sha in out) continue;
    const tree = new GitHubTree({
      octokit,
      owner: ref.owner,
      repo: ref.repo,
      commitOrTreeSha: sha,
      label: `reviewed commit ${sha.slice(0, 7)}`,
    });
    try {
      out[sha] = governedFingerprint(await tree.listing(governancePaths), governancePaths);
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      out[sha] = undefined;
    }
  }
  return out;
}
