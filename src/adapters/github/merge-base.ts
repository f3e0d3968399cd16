import { SourceError } from '../../core/errors.js';
import { toSourceError, type GitHubClient } from './client.js';

/**
 * The best common ancestor of two commits, from GitHub's compare API
 * (GET /repos/{owner}/{repo}/compare/{base}...{head} -> merge_base_commit.sha): where a pull
 * request's change starts, the `origin` of judgeSources (src/pipeline/judge-sources.ts).
 * Asks for one commit per page: only the merge base is used.
 */
export async function mergeBaseOf(octokit: GitHubClient, owner: string, repo: string, base: string, head: string): Promise<string> {
  let sha: unknown;
  try {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/compare/{basehead}', {
      owner,
      repo,
      basehead: `${base}...${head}`,
      per_page: 1,
    });
    sha = data.merge_base_commit?.sha;
  } catch (error) {
    throw toSourceError(error, `the comparison ${base}...${head}`, { owner, repo });
  }
  if (typeof sha !== 'string' || !sha) {
    throw new SourceError(`GitHub did not say where ${base} and ${head} of ${owner}/${repo} meet (no merge base in its comparison).`);
  }
  return sha;
}
