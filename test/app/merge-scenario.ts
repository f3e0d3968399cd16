/**
 * A registry repository where a pull request was merged, served to the App by nock from the real
 * git objects (FakeGitHubRepo): the branch before and after the merge, the pull request's head,
 * the audit key registered under audit/ (made by ssh-keygen, as `microapps audit keygen` makes
 * it), the gateway and a webhook provisioner configured. Plus the signed `push` delivery GitHub
 * sends for it (@octokit/webhooks-examples' push example, adapted) and the App's reads.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import nock from 'nock';
import {
  allowedSignersLine,
  keyFileText,
  keyPath,
  publicKeyLine,
  parseOpenSshPrivateKey,
  type AuditKey,
} from '../../src/core/audit/index.js';
import { FakeGitHubRepo } from '../adapters/github/fake-repo.js';
import { API, pageLinks, type GitHubMock } from '../adapters/github/mock-github.js';
import { createSeededRepo, makeTempDir, type FileMap, type GitRepo } from '../helpers/git-repo.js';
import { fixture } from '../helpers/paths.js';
import { configuredReviewers, managerReviewers } from '../helpers/shipped.js';
import { mergedPullRequest, mergedPullRequestItem, pullCommit, review, teamMember } from './github-bodies.js';
import { AUTHOR, NUMBER, OWNER, PAGE_1, PRS, REPO, plain, serveToken } from './serve-evaluation.js';

type Json = Record<string, any>;

export const KEY_ID = 'app-audit-test';
export const HR_APP_PATH = 'registry/hr/team-anniversaries.yaml';
export const HR_APP: FileMap = { [HR_APP_PATH]: fixture('apps/team-anniversaries.yaml') };
export const MERGER = 'registry-maintainer';
export const MANAGER = plain(managerReviewers('hr-team@example.com')[0]!);
export const SECURITY_TEAM = plain(configuredReviewers('security_team_review')[0]!);
export const SECURITY_REVIEWER = 'security-alice';
export const WEBHOOK_URL = 'https://provisioning.example.test/hooks/microapps';
export const WEBHOOK_SECRET_ENV = 'MICROAPPS_WEBHOOK_TEST_SECRET';

export const PROVISIONERS = `gateway:
  enabled: true
  format: kong
  output: generated/gateway/kong.yaml
webhooks:
  - name: credential-broker
    url: ${WEBHOOK_URL}
    secret_env: ${WEBHOOK_SECRET_ENV}
    timeout_seconds: 5
    retries: 0
`;

export interface AuditTestKey {
  keyId: string;
  /** The OpenSSH private key file's text (what MICROAPPS_AUDIT_PRIVATE_KEY holds). */
  privateKey: string;
  /** Where that file is (what MICROAPPS_AUDIT_KEY names). */
  privateKeyPath: string;
  key: AuditKey;
}

/** An Ed25519 key made by ssh-keygen, its comment the key id, valid from 2024 with no end. */
export function makeAuditKey(keyId = KEY_ID): AuditTestKey {
  const file = join(makeTempDir('microapps-key-'), 'audit_key');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', keyId, '-f', file], { stdio: 'ignore' });
  const privateKey = readFileSync(file, 'utf8');
  const parsed = parseOpenSshPrivateKey(privateKey);
  if (parsed.error !== undefined) throw new Error(parsed.error);
  const key: AuditKey = {
    key_id: keyId,
    algorithm: 'ssh-ed25519',
    public_key: publicKeyLine(parsed.value.publicKey.raw, keyId),
    valid_from: '2024-01-01T00:00:00Z',
    valid_until: null,
  };
  return { keyId, privateKey, privateKeyPath: file, key };
}

export interface MergedRegistry {
  repo: GitRepo;
  fake: FakeGitHubRepo;
  /** main before the merge (the push's `before`). */
  before: string;
  /** The merge commit (the push's `after`, main's head). */
  after: string;
  /** The pull request's head commit. */
  prHead: string;
  key: AuditTestKey;
}

/**
 * The seeded registry with provisioners and the audit key on main, a pull request `feature`
 * making `write`, merged into main with a merge commit.
 */
export function mergedRegistry(write: FileMap = HR_APP, key = makeAuditKey()): MergedRegistry {
  const repo = createSeededRepo();
  repo.write('policies/provisioners.yaml', PROVISIONERS);
  repo.write(keyPath(key.keyId), keyFileText(key.key));
  repo.write('audit/allowed_signers', `${allowedSignersLine(key.key)}\n`);
  const before = repo.commit('provisioners and the audit key');
  repo.branch('feature');
  repo.writeAll(write);
  const prHead = repo.commit('pull request feature');
  repo.checkout('main');
  repo.git('merge', '--no-ff', '-q', '-m', `Merge pull request #${NUMBER} from ${OWNER}/feature`, 'feature');
  const after = repo.sha('main');
  return { repo, fake: new FakeGitHubRepo(repo, OWNER, REPO), before, after, prHead, key };
}

const require = createRequire(import.meta.url);
const EXAMPLES = require('@octokit/webhooks-examples') as Array<{ name: string; examples: Json[] }>;

/**
 * The `push` delivery of `before..after` on `ref`: GitHub's example of a push to a branch sent to
 * an App installation, with this repository's commits and default branch.
 */
export function pushPayload(o: { before: string; after: string; ref?: string; defaultBranch?: string; deleted?: boolean }): Json {
  const example = EXAMPLES.find((e) => e.name === 'push')!.examples.find((x) => x.installation && String(x.ref).startsWith('refs/heads/'));
  if (!example) throw new Error('@octokit/webhooks-examples has no push to a branch with an installation');
  const payload = structuredClone(example);
  const ref = o.ref ?? 'refs/heads/main';
  return {
    ...payload,
    ref,
    before: o.before,
    after: o.after,
    created: /^0+$/.test(o.before),
    deleted: o.deleted ?? /^0+$/.test(o.after),
    forced: false,
    compare: `https://github.com/${OWNER}/${REPO}/compare/${o.before.slice(0, 12)}...${o.after.slice(0, 12)}`,
    head_commit: payload.head_commit ? { ...payload.head_commit, id: o.after, tree_id: o.after } : null,
    repository: { ...payload.repository, default_branch: o.defaultBranch ?? 'main', master_branch: o.defaultBranch ?? 'main' },
  };
}

export interface MergeReadOptions {
  /** Serve the installation token (default true). */
  token?: boolean;
  /** The pull requests GitHub links to the merge commit (default: the merged pull request). */
  pulls?: Json[];
  /** Reviews of the pull request (default: the manager and a security team member approve its head). */
  reviews?: Json[];
  /** The open pull requests into main, which the push has judged again (default none). */
  openPulls?: Json[];
}

/** Both sides of the push: tree listings (commit and tree) and every blob (optional, reusable). */
export function servePushTrees(github: GitHubMock, m: MergedRegistry, before = m.before, after = m.after): void {
  m.fake.serveListing(github, before);
  m.fake.serveListing(github, after);
  const served = m.fake.serveBlobsOf(github, before);
  m.fake.serveBlobsOf(github, after, served);
}

/** The pull request the merge came from, its reviews, commits, timeline and the security team. */
export function servePullRequest(github: GitHubMock, m: MergedRegistry, options: MergeReadOptions = {}): void {
  const commitPulls = `/repos/${OWNER}/${REPO}/commits/${m.after}/pulls`;
  github.reply(
    'GET',
    commitPulls,
    200,
    options.pulls ?? [mergedPullRequestItem({ number: NUMBER, headSha: m.prHead, mergeCommit: m.after })],
  );
  if (options.pulls && options.pulls.length === 0) return;
  github.reply(
    'GET',
    PRS,
    200,
    mergedPullRequest({
      owner: OWNER,
      repo: REPO,
      number: NUMBER,
      author: AUTHOR,
      baseSha: m.before,
      headSha: m.prHead,
      mergeCommit: m.after,
      mergedBy: MERGER,
    }),
  );
  github.reply(
    'GET',
    `${PRS}/reviews${PAGE_1}`,
    200,
    options.reviews ?? [
      review({ id: 11, login: MANAGER, state: 'APPROVED', commitId: m.prHead }),
      review({ id: 12, login: SECURITY_REVIEWER, state: 'APPROVED', commitId: m.prHead }),
    ],
  );
  github.reply('GET', `${PRS}/commits${PAGE_1}`, 200, [pullCommit({ sha: m.prHead, author: AUTHOR, committer: AUTHOR })]);
  github.reply('GET', `/repos/${OWNER}/${REPO}/issues/${NUMBER}/timeline${PAGE_1}`, 200, []);
  const [org, slug] = SECURITY_TEAM.split('/');
  github.reply('GET', `/orgs/${org}/teams/${slug}/members${PAGE_1}`, 200, [teamMember(SECURITY_REVIEWER), teamMember('security-bob')]);
  // The governed fingerprint of the reviewed head.
  m.fake.serveListing(github, m.prHead);
  m.fake.serveBlobsOf(github, m.prHead);
}

/** Everything the App reads to record the merge of `m` (GraphQL answers are the test's), and the open pull requests it judges again. */
export function serveMergeReads(github: GitHubMock, m: MergedRegistry, options: MergeReadOptions = {}): void {
  if (options.token !== false) serveToken(github);
  servePushTrees(github, m);
  servePullRequest(github, m, options);
  serveOpenPulls(github, options.openPulls);
}

const openPulls = (base: string): string =>
  `/repos/${OWNER}/${REPO}/pulls?state=open&base=${base}&sort=updated&direction=desc&per_page=100`;

/**
 * The path of GET /repos/{owner}/{repo}/pulls as the App lists the open pull requests into `base`:
 * page 1 as the App asks for it, a later page as GitHub's Link header names it.
 */
export function openPullsPath(base = 'main', page = 1): string {
  return page === 1 ? openPulls(base) : `${openPulls(base)}&page=${page}`;
}

/**
 * The open pull requests into `base` (items of GET .../pulls, e.g. pullRequestSimpleItem), which
 * a push to it judges again; in pages of 100 with GitHub's Link headers, as GitHub answers.
 */
export function serveOpenPulls(github: GitHubMock, pulls: Json[] = [], base = 'main'): void {
  const pages = Math.max(1, Math.ceil(pulls.length / 100));
  for (let page = 1; page <= pages; page++) {
    const link = pageLinks(`${API}${openPulls(base)}`, page, pages);
    github.reply('GET', openPullsPath(base, page), 200, pulls.slice((page - 1) * 100, page * 100), link ? { headers: { link } } : {});
  }
}

export interface WebhookCalls {
  bodies: Json[];
  headers: Array<Record<string, string | string[] | undefined>>;
}

/** The webhook provisioner's receiver: answers 200 `times` times and keeps what it got. */
export function serveWebhook(times = 1): WebhookCalls {
  const calls: WebhookCalls = { bodies: [], headers: [] };
  const url = new URL(WEBHOOK_URL);
  nock(url.origin)
    .post(url.pathname)
    .times(times)
    .reply(function (_uri, body) {
      calls.bodies.push((typeof body === 'string' ? JSON.parse(body) : body) as Json);
      calls.headers.push({ ...this.req.headers });
      return [200, { ok: true }];
    });
  return calls;
}

/** The commit GitHub would make from a createCommitOnBranch input: the additions written on `parent`'s branch. */
export function commitAdditions(
  m: MergedRegistry,
  additions: Array<{ path: string; contents: string }>,
  message = 'audit: record',
): string {
  for (const a of additions) m.repo.write(a.path, Buffer.from(a.contents, 'base64'));
  return m.repo.commit(message);
}

/** A compare of `base...head` (the App's check that the pushed commit is on the branch). */
export function serveCompare(github: GitHubMock, m: MergedRegistry, base: string, head: string): void {
  github.reply('GET', m.fake.path(`/compare/${base}...${head}?per_page=1`), 200, m.fake.compare(base, head));
}
