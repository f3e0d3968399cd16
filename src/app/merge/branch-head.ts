/**
 * The repository's default branch and its head, asked of GitHub (never the payload), and the
 * check that the pushed commit is on that branch: the record goes after the merge, never beside it.
 */
import { mergeBaseOf } from '../../adapters/github/index.js';
import { SourceError } from '../../core/errors.js';
import { BRANCH_HEAD_QUERY, type BranchHeadAnswer, type MergeClient } from '../../adapters/github/graphql.js';

export interface BranchHead {
  branch: string;
  head: string;
}

export async function readDefaultBranch(octokit: MergeClient, owner: string, repo: string): Promise<BranchHead> {
  const answer = await octokit.graphql<BranchHeadAnswer>(BRANCH_HEAD_QUERY, { owner, name: repo });
  const ref = answer?.repository?.defaultBranchRef;
  const head = ref?.target?.oid;
  if (!ref?.name || typeof head !== 'string') throw new SourceError(`GitHub did not say what the default branch of ${owner}/${repo} is, or where it points`);
  return { branch: ref.name, head: head.toLowerCase() };
}

/** Throws unless `commit` is `head` or one of its ancestors (GitHub's compare: their merge base is `commit`). */
export async function mustBeOnBranch(octokit: MergeClient, owner: string, repo: string, commit: string, at: BranchHead): Promise<void> {
  if (commit === at.head) return;
  const base = await mergeBaseOf(octokit, owner, repo, commit, at.head);
  if (base.toLowerCase() !== commit) {
    throw new SourceError(`${commit.slice(0, 7)} is no longer on ${at.branch} (${at.head.slice(0, 7)}): the branch was rewritten, so the App does not record it`);
  }
}
