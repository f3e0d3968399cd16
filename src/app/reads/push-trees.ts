/**
 * The trees of one push delivery, shared by the steps that handle it (recording the merge,
 * src/app/merge/, and judging the open pull requests again, src/app/rejudge/): one GitHubTree
 * per commit, so each side of the push is listed once (two requests) however many steps read it.
 */
import { GitHubTree, type BlobCache, type GitHubClient } from '../../adapters/github/index.js';

export class PushTrees {
  private readonly trees = new Map<string, GitHubTree>();

  constructor(
    private readonly octokit: GitHubClient,
    private readonly blobCache?: BlobCache,
  ) {}

  /** The tree of `sha` in owner/repo; `label` names it in messages ("main before the push"). */
  of(owner: string, repo: string, sha: string, label: string): GitHubTree {
    const key = `${owner}/${repo}@${sha}`.toLowerCase();
    let tree = this.trees.get(key);
    if (!tree) {
      tree = new GitHubTree({
        octokit: this.octokit,
        owner,
        repo,
        commitOrTreeSha: sha,
        label: `${label} (${sha.slice(0, 7)})`,
        blobCache: this.blobCache,
      });
      this.trees.set(key, tree);
    }
    return tree;
  }
}
