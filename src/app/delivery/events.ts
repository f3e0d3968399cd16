/**
 * Which webhook deliveries the approval gate answers (DESIGN.md section 4), and the only things
 * it takes from a payload: the repository, the pull request numbers and (for a failure notice
 * only) the head commit. Everything else is fetched again from GitHub.
 */
import type { GitHubClient } from '../../adapters/github/index.js';

/** Events after which a pull request's approval status may have changed. `edited` counts only when the base branch changed. */
export const PULL_REQUEST_EVENTS = [
  'pull_request.opened',
  'pull_request.synchronize',
  'pull_request.reopened',
  'pull_request.ready_for_review',
  'pull_request.edited',
  'pull_request_review.submitted',
  'pull_request_review.dismissed',
] as const;

/** Someone pressed "Re-run" on the App's check (one run, or the whole suite). */
export const RERUN_EVENTS = ['check_run.rerequested', 'check_suite.rerequested'] as const;

export interface PullRequestRef {
  owner: string;
  repo: string;
  pullNumber: number;
}

interface RepositoryShape {
  id?: number;
  name: string;
  owner: { login: string };
}

interface PullRequestPayload {
  action?: string;
  changes?: { base?: unknown };
  repository: RepositoryShape;
  pull_request: { number: number; head?: { sha?: unknown } };
}

interface LinkedPullRequest {
  number: number;
  base?: { repo?: { id?: number } };
}

interface RerunPayload {
  repository: RepositoryShape;
  check_run?: { head_sha?: unknown; pull_requests?: LinkedPullRequest[] };
  check_suite?: { head_sha?: unknown; pull_requests?: LinkedPullRequest[] };
}

/** False for deliveries the gate ignores: `edited` without a base change. */
export function isRelevant(payload: PullRequestPayload): boolean {
  if (payload.action === 'edited') return payload.changes?.base !== undefined && payload.changes.base !== null;
  return true;
}

export function refOf(payload: PullRequestPayload): PullRequestRef {
  return { owner: payload.repository.owner.login, repo: payload.repository.name, pullNumber: payload.pull_request.number };
}

/**
 * The head commit the payload names. Used only to report a failure when the pull request
 * itself could not be fetched: a failing check grants nothing, so trusting it there is safe.
 */
export function payloadHeadSha(payload: {
  pull_request?: { head?: { sha?: unknown } };
  check_run?: { head_sha?: unknown };
  check_suite?: { head_sha?: unknown };
}): string | undefined {
  const sha = payload.pull_request?.head?.sha ?? payload.check_run?.head_sha ?? payload.check_suite?.head_sha;
  return typeof sha === 'string' && /^[0-9a-f]{40}$/i.test(sha) ? sha : undefined;
}

/**
 * The pull requests a re-run is for: those the payload links, in this repository. GitHub does
 * not link pull requests from forks there, so when none is linked the App asks which open pull
 * requests have the commit as their head (GET /repos/{owner}/{repo}/commits/{sha}/pulls).
 */
export async function refsOfRerun(octokit: GitHubClient, payload: RerunPayload): Promise<PullRequestRef[]> {
  const repo = payload.repository;
  const base = { owner: repo.owner.login, repo: repo.name };
  const linked = payload.check_run?.pull_requests ?? payload.check_suite?.pull_requests ?? [];
  const numbers = linked.filter((p) => repo.id === undefined || p.base?.repo?.id === repo.id).map((p) => p.number);
  const headSha = payloadHeadSha(payload);
  if (numbers.length === 0 && headSha) {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', { ...base, commit_sha: headSha });
    numbers.push(...data.filter((p) => p.state === 'open' && p.head.sha === headSha).map((p) => p.number));
  }
  return [...new Set(numbers)].map((pullNumber) => ({ ...base, pullNumber }));
}
