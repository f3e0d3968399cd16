/**
 * Which `push` deliveries can record a merge, and the only things taken from the payload: the
 * repository, the ref, and the commits before and after. A push to a tag, a deleted branch or a
 * new branch is ignored; so is a push to a branch the payload says is not the default one (that
 * only saves a request: the App confirms the default branch through the API before recording).
 */
export const ZERO_SHA = '0000000000000000000000000000000000000000';
const SHA = /^[0-9a-f]{40}$/i;

export interface PushPayload {
  ref?: unknown;
  before?: unknown;
  after?: unknown;
  deleted?: unknown;
  repository?: { name?: unknown; owner?: { login?: unknown; name?: unknown } | null; default_branch?: unknown };
}

export interface PushTarget {
  owner: string;
  repo: string;
  /** The branch pushed to, without refs/heads/. */
  branch: string;
  before: string;
  after: string;
}

export type PushDecision = { target: PushTarget; ignored?: undefined } | { target?: undefined; ignored: string };

export function pushTargetOf(payload: PushPayload): PushDecision {
  const ref = typeof payload.ref === 'string' ? payload.ref : '';
  if (!ref.startsWith('refs/heads/')) return { ignored: `${ref || 'an unnamed ref'} is not a branch` };
  const branch = ref.slice('refs/heads/'.length);
  const before = typeof payload.before === 'string' ? payload.before.toLowerCase() : '';
  const after = typeof payload.after === 'string' ? payload.after.toLowerCase() : '';
  if (payload.deleted === true || after === ZERO_SHA) return { ignored: `the branch ${branch} was deleted` };
  if (before === ZERO_SHA) return { ignored: `the branch ${branch} was created: there is no earlier commit to compare with` };
  if (!SHA.test(before) || !SHA.test(after)) return { ignored: `the push to ${branch} does not name its commits` };
  const repository = payload.repository;
  const owner = repository?.owner?.login ?? repository?.owner?.name;
  if (typeof owner !== 'string' || typeof repository?.name !== 'string') return { ignored: 'the push does not name its repository' };
  const defaultBranch = repository.default_branch;
  if (typeof defaultBranch === 'string' && defaultBranch !== branch)
    return { ignored: `${branch} is not the default branch (${defaultBranch})` };
  return { target: { owner, repo: repository.name, branch, before, after } };
}
