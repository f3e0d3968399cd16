/**
 * Keeps one explaining comment on the pull request: finds the App's own comment by its hidden
 * marker and its author (the App's bot account, so a comment someone else wrote with the marker
 * is never edited), edits it when the text changed, or adds it when there is none yet and the
 * pull request changes something governed.
 */
import type { PagingGitHubClient } from '../../adapters/github/index.js';
import { COMMENT_MARKER } from '../../core/render/approvals/index.js';
import type { PullRequestRef } from '../delivery/events.js';
import { listAll } from '../../adapters/github/index.js';

interface ApiComment {
  id: number;
  body?: string;
  user: { login: string } | null;
}

export async function upsertComment(
  octokit: PagingGitHubClient,
  ref: PullRequestRef,
  body: string,
  options: { botLogin: string; createIfMissing: boolean },
): Promise<'created' | 'updated' | 'unchanged' | 'none'> {
  const where = { owner: ref.owner, repo: ref.repo };
  const comments = await listAll<ApiComment>(octokit, 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    ...where,
    issue_number: ref.pullNumber,
  });
  const bot = options.botLogin.toLowerCase();
  const ours = comments.find((c) => c.user?.login.toLowerCase() === bot && (c.body ?? '').startsWith(COMMENT_MARKER));
  if (ours) {
    if (ours.body === body) return 'unchanged';
    await octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { ...where, comment_id: ours.id, body });
    return 'updated';
  }
  if (!options.createIfMissing) return 'none';
  await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...where, issue_number: ref.pullNumber, body });
  return 'created';
}
