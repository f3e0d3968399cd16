/**
 * GitHub's REST answers for the App's calls, built from the examples in GitHub's own OpenAPI
 * description (test/fixtures/github/openapi-subset.json) with the fields a scenario needs
 * replaced, so they keep GitHub's shape (and the mock validates them again).
 */
import { readFileSync } from 'node:fs';
import { SUBSET_PATH } from '../adapters/github/openapi.js';

type Json = Record<string, any>;

let examples: Json | undefined;
function example(name: string): any {
  examples ??= (JSON.parse(readFileSync(SUBSET_PATH, 'utf8')) as Json).components.examples as Json;
  const value = examples[name]?.value;
  if (value === undefined) throw new Error(`no example ${name} in the OpenAPI subset`);
  return structuredClone(value);
}

export function user(login: string, id = 1000 + login.length): Json {
  const u = example('pull-request').user as Json;
  return {
    ...u,
    login,
    id,
    node_id: Buffer.from(`User:${login}`).toString('base64'),
    html_url: `https://github.com/${login}`,
    url: `https://api.github.com/users/${login}`,
  };
}

/** GET /repos/{owner}/{repo}/pulls/{pull_number} */
export function pullRequest(o: {
  owner: string;
  repo: string;
  number: number;
  author: string;
  baseSha: string;
  headSha: string;
  baseRef?: string;
  headRef?: string;
}): Json {
  const pr = example('pull-request') as Json;
  pr.number = o.number;
  pr.user = user(o.author);
  pr.base = {
    ...pr.base,
    sha: o.baseSha,
    ref: o.baseRef ?? 'main',
    label: `${o.owner}:${o.baseRef ?? 'main'}`,
    repo: { ...pr.base.repo, default_branch: 'main' },
  };
  pr.head = { ...pr.head, sha: o.headSha, ref: o.headRef ?? 'feature', label: `${o.owner}:${o.headRef ?? 'feature'}` };
  pr.url = `https://api.github.com/repos/${o.owner}/${o.repo}/pulls/${o.number}`;
  // GitHub's own example lists a team without its required "type": no review requests here.
  pr.requested_teams = [];
  pr.requested_reviewers = [];
  return pr;
}

/** GET /repos/{owner}/{repo}/git/ref/heads/{branch}: where the branch points now. */
export function gitRef(o: { owner: string; repo: string; branch: string; sha: string }): Json {
  const r = example('git-ref') as Json;
  return {
    ...r,
    ref: `refs/heads/${o.branch}`,
    url: `https://api.github.com/repos/${o.owner}/${o.repo}/git/refs/heads/${o.branch}`,
    object: { ...r.object, type: 'commit', sha: o.sha, url: `https://api.github.com/repos/${o.owner}/${o.repo}/git/commits/${o.sha}` },
  };
}

/** One item of GET .../pulls/{n}/reviews */
export function review(o: {
  id: number;
  login: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED';
  commitId: string;
}): Json {
  const r = example('pull-request-review-items')[0] as Json;
  return { ...r, id: o.id, user: user(o.login), state: o.state, commit_id: o.commitId, submitted_at: '2026-11-29T06:00:00Z' };
}

/** One item of GET .../pulls/{n}/commits */
export function pullCommit(o: { sha: string; author: string; committer: string }): Json {
  const c = example('commit-items')[0] as Json;
  return { ...c, sha: o.sha, author: user(o.author), committer: user(o.committer), parents: [] };
}

/** One item of GET /orgs/{org}/teams/{team_slug}/members */
export function teamMember(login: string): Json {
  return { ...(example('team-member-items')[0] as Json), ...user(login) };
}

/** POST /app/installations/{installation_id}/access_tokens */
export function installationToken(): Json {
  return { ...(example('installation-token') as Json), token: 'ghs_test_installation_token', expires_at: '2099-01-01T00:00:00Z' };
}

/** POST /repos/{owner}/{repo}/check-runs (201) */
export function checkRun(body: Json): Json {
  const run = example('check-run-example-of-completed-conclusion') as Json;
  return { ...run, name: body.name, head_sha: body.head_sha, status: body.status, conclusion: body.conclusion };
}

/** GET /app: the App's own record; its bot account is "<slug>[bot]". */
export function appRecord(slug: string): Json {
  return { ...(example('integration') as Json), slug, name: slug };
}

/** One item of GET .../issues/{n}/comments, or the answer to creating or editing one. */
export function issueComment(o: { id: number; body: string; login: string; bot?: boolean }): Json {
  const c = example('issue-comment') as Json;
  return { ...c, id: o.id, body: o.body, user: { ...user(o.login), type: o.bot ? 'Bot' : 'User' } };
}

/** GET /repos/{owner}/{repo}/contents/{path} for a file. */
export function contentFile(path: string, text: string): Json {
  const f = example('content-file-response-if-content-is-a-file') as Json;
  const content = Buffer.from(text, 'utf8').toString('base64');
  return { ...f, path, name: path.slice(path.lastIndexOf('/') + 1), size: Buffer.byteLength(text), content, encoding: 'base64' };
}

/** POST .../issues/{n}/labels (200): the issue's labels now. */
export function labelItems(names: string[]): Json[] {
  const l = (example('label-items') as Json[])[0] as Json;
  return names.map((name, i) => ({ ...l, id: 9000 + i, name }));
}

/** POST .../pulls/{n}/reviews (200) */
export function submittedReview(o: { id: number; login: string; commitId: string; body: string }): Json {
  const r = example('pull-request-review') as Json;
  return { ...r, id: o.id, user: user(o.login), state: 'APPROVED', commit_id: o.commitId, body: o.body };
}

/** POST .../pulls/{n}/requested_reviewers (201): the pull request. */
export function pullRequestSimple(): Json {
  // As in pullRequest(): GitHub's example lists a team without its required "type".
  return { ...(example('pull-request-review-request') as Json), requested_teams: [], requested_reviewers: [] };
}

/** PATCH .../check-runs/{id} (200) */
export function updatedCheckRun(): Json {
  return example('check-run') as Json;
}

/** One item of GET .../issues/{n}/timeline: a force-push of the head branch by `login`. */
export function forcePushEvent(login: string, commitId: string): Json {
  return {
    id: 4242,
    node_id: 'HRFPE_1',
    url: 'https://api.github.com/repos/o/r/issues/events/4242',
    actor: user(login),
    event: 'head_ref_force_pushed',
    commit_id: commitId,
    commit_url: null,
    created_at: '2026-11-29T05:00:00Z',
    performed_via_github_app: null,
  };
}

/** One item of GET /repos/{owner}/{repo}/commits/{sha}/pulls */
export function pullRequestSimpleItem(o: { number: number; headSha: string; state?: 'open' | 'closed'; baseRef?: string }): Json {
  const p = (example('pull-request-simple-items') as Json[])[0] as Json;
  // As in pullRequest(): GitHub's example lists a team without its required "type".
  const base = o.baseRef === undefined ? p.base : { ...p.base, ref: o.baseRef, label: `${p.base.user?.login ?? 'octocat'}:${o.baseRef}` };
  return {
    ...p,
    number: o.number,
    state: o.state ?? 'open',
    head: { ...p.head, sha: o.headSha },
    base,
    requested_teams: [],
    requested_reviewers: [],
  };
}

/** One item of GET /repos/{owner}/{repo}/commits/{sha}/pulls: a pull request merged into `baseRef` by `mergeCommit`. */
export function mergedPullRequestItem(o: {
  number: number;
  headSha: string;
  mergeCommit: string;
  baseRef?: string;
  mergedAt?: string;
}): Json {
  const p = pullRequestSimpleItem({ number: o.number, headSha: o.headSha, state: 'closed' });
  return {
    ...p,
    merged_at: o.mergedAt ?? '2026-11-29T07:00:00Z',
    closed_at: o.mergedAt ?? '2026-11-29T07:00:00Z',
    merge_commit_sha: o.mergeCommit,
    base: { ...p.base, ref: o.baseRef ?? 'main' },
  };
}

/** GET /repos/{owner}/{repo}/pulls/{pull_number} of a merged pull request, merged by `mergedBy`. */
export function mergedPullRequest(o: {
  owner: string;
  repo: string;
  number: number;
  author: string;
  baseSha: string;
  headSha: string;
  mergeCommit: string;
  mergedBy: string;
}): Json {
  const pr = pullRequest(o);
  return {
    ...pr,
    state: 'closed',
    merged: true,
    mergeable: null,
    merged_at: '2026-11-29T07:00:00Z',
    closed_at: '2026-11-29T07:00:00Z',
    merge_commit_sha: o.mergeCommit,
    merged_by: user(o.mergedBy),
    html_url: `https://github.com/${o.owner}/${o.repo}/pull/${o.number}`,
  };
}
