/**
 * The open pull requests into a branch, from GitHub (GET /repos/{owner}/{repo}/pulls with
 * state=open and base=<branch>, every page), the most recently updated first: when there are
 * more than the App judges again at once, those are the ones people are working on.
 *
 * Only the number and the head commit are taken; the head is used only to put a failed check
 * somewhere when the pull request itself cannot be read (as a payload's head is, events.ts).
 * A pull request that moves between pages while they are read is listed once.
 */
import type { PagingGitHubClient } from '../../adapters/github/index.js';
import { listAll } from '../../adapters/github/index.js';

export interface OpenPullRequest {
  number: number;
  headSha: string | undefined;
}

interface ListedPull {
  number: number;
  state?: string;
  head?: { sha?: unknown };
  base?: { ref?: unknown };
}

const SHA = /^[0-9a-f]{40}$/i;

export async function listOpenPullRequests(
  octokit: PagingGitHubClient,
  owner: string,
  repo: string,
  base: string,
): Promise<OpenPullRequest[]> {
  const listed = await listAll<ListedPull>(octokit, 'GET /repos/{owner}/{repo}/pulls', {
    owner,
    repo,
    state: 'open',
    base,
    sort: 'updated',
    direction: 'desc',
  });
  const seen = new Set<number>();
  const out: OpenPullRequest[] = [];
  for (const p of listed) {
    if (typeof p.number !== 'number' || seen.has(p.number)) continue;
    if (p.state !== undefined && p.state !== 'open') continue;
    if (typeof p.base?.ref === 'string' && p.base.ref !== base) continue;
    seen.add(p.number);
    const sha = p.head?.sha;
    out.push({ number: p.number, headSha: typeof sha === 'string' && SHA.test(sha) ? sha.toLowerCase() : undefined });
  }
  return out;
}
