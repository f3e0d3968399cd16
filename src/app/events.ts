/**
 * Which webhook deliveries the approval gate answers (DESIGN.md section 4): the events after
 * which the pull request's approval status may have changed. `edited` counts only when the
 * base branch changed (a new title or body changes nothing the gate judges).
 */
export const PULL_REQUEST_EVENTS = [
  'pull_request.opened',
  'pull_request.synchronize',
  'pull_request.reopened',
  'pull_request.ready_for_review',
  'pull_request.edited',
  'pull_request_review.submitted',
  'pull_request_review.dismissed',
] as const;

/** The identifiers the App takes from a payload; everything else is fetched again from GitHub. */
export interface PullRequestRef {
  owner: string;
  repo: string;
  pullNumber: number;
}

interface PayloadShape {
  action?: string;
  changes?: { base?: unknown };
  repository: { name: string; owner: { login: string } };
  pull_request: { number: number; head?: { sha?: unknown } };
}

/** False for deliveries the gate ignores: `edited` without a base change. */
export function isRelevant(payload: PayloadShape): boolean {
  if (payload.action === 'edited') return payload.changes?.base !== undefined && payload.changes.base !== null;
  return true;
}

export function refOf(payload: PayloadShape): PullRequestRef {
  return { owner: payload.repository.owner.login, repo: payload.repository.name, pullNumber: payload.pull_request.number };
}

/**
 * The head commit the payload names. Used only to report a failure when the pull request
 * itself could not be fetched: a failing check grants nothing, so trusting it there is safe.
 */
export function payloadHeadSha(payload: PayloadShape): string | undefined {
  const sha = payload.pull_request.head?.sha;
  return typeof sha === 'string' && /^[0-9a-f]{40}$/i.test(sha) ? sha : undefined;
}
