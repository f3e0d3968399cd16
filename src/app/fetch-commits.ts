/**
 * The pull request's commits (GET .../pulls/{n}/commits, every page) with the logins of their
 * authors and committers: none of them may approve the change (DESIGN.md section 4).
 *
 * Pushers: for now the App counts each commit's committer as its pusher. That misses someone
 * who pushed (or force-pushed) commits made by others; timeline-based pushers
 * (`committed` / `head_ref_force_pushed` events) are later work.
 */
import type { GitHubClient } from '../adapters/github/index.js';
import type { PrCommit } from '../core/approvals/index.js';
import type { PullRequestRef } from './events.js';
import { listAll } from './paginate.js';

interface ApiCommit {
  sha: string;
  author: { login?: string } | null;
  committer: { login?: string } | null;
}

export interface PullRequestCommits {
  commits: PrCommit[];
  /** Committer logins, standing in for the pushers (see above). */
  pushers: string[];
}

export async function fetchCommits(octokit: GitHubClient, ref: PullRequestRef): Promise<PullRequestCommits> {
  const list = await listAll<ApiCommit>(octokit, 'GET /repos/{owner}/{repo}/pulls/{pull_number}/commits', {
    owner: ref.owner,
    repo: ref.repo,
    pull_number: ref.pullNumber,
  });
  const login = (who: { login?: string } | null) => (who?.login ? [who.login] : []);
  const commits = list.map((c) => ({ sha: c.sha, authors: [...new Set([...login(c.author), ...login(c.committer)])] }));
  const pushers = [...new Set(list.flatMap((c) => login(c.committer)))];
  return { commits, pushers };
}
