/**
 * Who may not approve because they changed the pull request (DESIGN.md section 4): the logins
 * GitHub links to the authors and committers of its commits (GET .../pulls/{n}/commits), and
 * the people who force-pushed its branch (GET .../issues/{n}/timeline, `head_ref_force_pushed`
 * events, whose actor GitHub records).
 *
 * Limit: GitHub's API does not say who made an ordinary (non-force) push. Someone who pushes
 * commits written and committed by others is only caught through those commits' logins.
 */
import type { PagingGitHubClient } from '../../adapters/github/index.js';
import type { PrCommit } from '../../core/approvals/index.js';
import type { PullRequestRef } from '../delivery/events.js';
import { listAll } from '../../adapters/github/index.js';

interface ApiCommit {
  sha: string;
  author: { login?: string } | null;
  committer: { login?: string } | null;
}

interface ApiTimelineEvent {
  event?: string;
  actor?: { login?: string } | null;
}

export interface PullRequestCommits {
  commits: PrCommit[];
  /** Committers and force-pushers. */
  pushers: string[];
}

export async function fetchCommits(octokit: PagingGitHubClient, ref: PullRequestRef): Promise<PullRequestCommits> {
  const where = { owner: ref.owner, repo: ref.repo };
  const [list, timeline] = await Promise.all([
    listAll<ApiCommit>(octokit, 'GET /repos/{owner}/{repo}/pulls/{pull_number}/commits', { ...where, pull_number: ref.pullNumber }),
    listAll<ApiTimelineEvent>(octokit, 'GET /repos/{owner}/{repo}/issues/{issue_number}/timeline', {
      ...where,
      issue_number: ref.pullNumber,
    }),
  ]);
  const login = (who: { login?: string } | null | undefined) => (who?.login ? [who.login] : []);
  const commits = list.map((c) => ({ sha: c.sha, authors: [...new Set([...login(c.author), ...login(c.committer)])] }));
  const forcePushers = timeline.filter((e) => e.event === 'head_ref_force_pushed').flatMap((e) => login(e.actor));
  const pushers = [...new Set([...list.flatMap((c) => login(c.committer)), ...forcePushers])];
  return { commits, pushers };
}
