/**
 * Helpers for the approval-semantics scenarios (approval-scenarios.test.ts), on top of
 * serve-evaluation.ts (which serves one evaluation's GitHub API):
 *
 * - `push`: a further commit on the pull request's branch of the real temp repository, served
 *   as the new head; `commitMany`: a pull request of thousands of files, committed fast.
 * - `serveManyBlobs`: for pull requests with thousands of files. serveEvaluation registers one
 *   nock interceptor per blob and builds each answer with its own `git cat-file`: fine for a
 *   registry of a dozen files, but for 5,000 it took 18 s to serve and 28 s to judge (nock
 *   matches each request against every interceptor in turn), against about 7 s for the whole
 *   scenario this way. This wraps the GitHubMock handed to serveEvaluation: blob mocks are
 *   collected instead of registered, read from git in one `git cat-file --batch`, and answered
 *   by a single persisted interceptor that looks the sha up. Every request it answers is checked
 *   against GitHub's OpenAPI description, and so is every answer; everything else goes to the
 *   real mock unchanged.
 * - `readSummary`: the check run's summary as data (each approval's "can approve", "approved
 *   by", "still needed", and the approvals that do not count with why), so a scenario can
 *   assert who counts and who does not.
 */
import { execFileSync } from 'node:child_process';
import nock from 'nock';
import { FakeGitHubRepo } from '../adapters/github/fake-repo.js';
import { API, type GitHubMock } from '../adapters/github/mock-github.js';
import { requestProblems, responseProblems } from '../adapters/github/openapi.js';
import { isolatedEnv, type FileMap, type GitRepo, type PullRequestChange } from '../helpers/git-repo.js';
import { readerText } from '../helpers/markdown.js';
import { pullCommit } from './github-bodies.js';
import { OWNER, REPO, type ServedPullRequest } from './serve-evaluation.js';

/**
 * Commits `change` on the pull request's branch (the repository is left on it by
 * openPullRequest) and returns the pull request with that commit as its head.
 */
export function push(pr: ServedPullRequest, change: PullRequestChange, message = 'push'): ServedPullRequest {
  const { repo } = pr;
  for (const [from, to] of change.move ?? []) repo.move(from, to);
  for (const p of change.remove ?? []) repo.remove(p);
  if (change.write) repo.writeAll(change.write);
  const headSha = repo.commit(message);
  return { ...pr, headSha };
}

/**
 * Commits `files` (added or replaced) on a new branch off `from` with one `git fast-import`: one
 * pack and no working tree, so 5,000 files take a fraction of a second instead of the seconds
 * that writing them and `git add` take. The working tree and the checked-out branch stay as they
 * are; FakeGitHubRepo reads only git objects.
 */
export function commitMany(repo: GitRepo, files: FileMap, options: { branch?: string; from?: string; message?: string } = {}): string {
  const branch = options.branch ?? 'feature';
  const message = options.message ?? `pull request ${branch}`;
  const from = repo.sha(options.from ?? 'main');
  const chunks: Buffer[] = [
    Buffer.from(
      `commit refs/heads/${branch}\ncommitter Microapps Test <microapps-test@example.com> ${Math.floor(Date.now() / 1000)} +0000\n` +
        `data ${Buffer.byteLength(message)}\n${message}\nfrom ${from}\n`,
    ),
  ];
  for (const [path, content] of Object.entries(files)) {
    if (!/^[\w./-]+$/.test(path)) throw new Error(`commitMany: keep paths plain (no quoting needed): ${path}`);
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
    chunks.push(Buffer.from(`M 100644 inline ${path}\ndata ${bytes.length}\n`), bytes, Buffer.from('\n'));
  }
  chunks.push(Buffer.from('done\n'));
  execFileSync('git', ['fast-import', '--quiet', '--done'], {
    cwd: repo.dir,
    env: isolatedEnv(),
    input: Buffer.concat(chunks),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return repo.sha(branch);
}

/** One item of GET .../pulls/{n}/commits: who authored and who committed `sha`. */
export function commitBy(sha: string, author: string, committer = author): Record<string, unknown> {
  return pullCommit({ sha, author, committer });
}

// ---------------------------------------------------------------------------------------------
// Thousands of blobs

/** A FakeGitHubRepo whose blob answers come from one `git cat-file --batch` run, cached. */
export class BatchFakeGitHubRepo extends FakeGitHubRepo {
  private readonly bodies = new Map<string, Record<string, unknown>>();

  /** Reads every blob of these commits' trees at once. */
  preload(commits: readonly string[]): this {
    const shas = new Set<string>();
    for (const commit of commits) {
      for (const e of this.tree(this.treeOf(commit), true).tree) if (e.type === 'blob' && !this.bodies.has(e.sha)) shas.add(e.sha);
    }
    if (shas.size === 0) return this;
    const out = execFileSync('git', ['cat-file', '--batch'], {
      cwd: this.repo.dir,
      env: isolatedEnv(),
      input: `${[...shas].join('\n')}\n`,
      maxBuffer: 512 * 1024 * 1024,
    });
    let at = 0;
    while (at < out.length) {
      const eol = out.indexOf(0x0a, at);
      const [sha, type, size] = out.subarray(at, eol).toString('latin1').split(' ') as [string, string, string];
      if (type !== 'blob') throw new Error(`git cat-file --batch: ${sha} is a ${type}`);
      const bytes = out.subarray(eol + 1, eol + 1 + Number(size));
      this.bodies.set(sha, this.bodyOf(sha, bytes));
      at = eol + 1 + Number(size) + 1;
    }
    return this;
  }

  override blob(sha: string): Record<string, unknown> {
    return this.bodies.get(sha) ?? super.blob(sha);
  }

  /** The same shape as FakeGitHubRepo.blob. */
  private bodyOf(sha: string, bytes: Buffer): Record<string, unknown> {
    const base64 = bytes.toString('base64').replace(/.{60}/g, '$&\n');
    return {
      sha,
      node_id: Buffer.from(`Blob:${sha}`).toString('base64'),
      size: bytes.length,
      url: `${API}${this.path(`/git/blobs/${sha}`)}`,
      content: base64.endsWith('\n') ? base64 : `${base64}\n`,
      encoding: 'base64',
    };
  }
}

/** A pull request made in `repo` (branches main and feature), with a BatchFakeGitHubRepo preloaded with both commits' blobs. */
export function batchFromRepo(repo: GitRepo, head = 'feature'): ServedPullRequest {
  const fake = new BatchFakeGitHubRepo(repo, OWNER, REPO);
  const pr = { repo, fake, baseSha: repo.sha('main'), headSha: repo.sha(head) };
  fake.preload([pr.baseSha, pr.headSha]);
  return pr;
}

export interface ManyBlobs {
  /** Hand this to serveEvaluation instead of the real mock. */
  readonly github: GitHubMock;
  /** How many blob requests the single interceptor answered. */
  readonly answered: () => number;
  /** Requests or answers that break GitHub's OpenAPI description, and requests for blobs not served. */
  readonly problems: string[];
}

const BLOB_PATH = /^\/repos\/([^/]+)\/([^/]+)\/git\/blobs\/([0-9a-f]{40})$/;

/**
 * Wraps `github`: GET .../git/blobs/{sha} mocks are answered by one persisted, optional
 * interceptor (the blobs a scenario serves are optional in serveEvaluation too); all other
 * mocks are registered as usual. Use with a BatchFakeGitHubRepo so building the answers is fast.
 */
export function serveManyBlobs(github: GitHubMock, fake: FakeGitHubRepo): ManyBlobs {
  const served = new Map<string, Record<string, unknown>>();
  const problems: string[] = [];
  let answered = 0;
  let registered = false;
  const prefix = fake.path('/git/blobs/');

  const register = () => {
    registered = true;
    nock(API)
      .get((uri) => uri.split('?')[0]!.startsWith(prefix))
      .optionally()
      .reply(function (uri, requestBody) {
        const method = this.req.method ?? 'GET';
        problems.push(...requestProblems({ method, path: uri, body: requestBody }));
        const sha = BLOB_PATH.exec(uri.split('?')[0]!)?.[3];
        const body = sha ? served.get(sha) : undefined;
        if (uri.includes('?')) problems.push(`GET ${uri}: a blob request takes no query`);
        github.requests.push(`GET ${uri}`);
        answered++;
        if (!body) {
          problems.push(`GET ${uri}: no such blob in the served commits`);
          return [
            404,
            JSON.stringify({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }),
            { 'content-type': 'application/json; charset=utf-8' },
          ];
        }
        problems.push(...responseProblems({ method, path: uri }, { status: 200, body }));
        return [200, JSON.stringify(body), { 'content-type': 'application/json; charset=utf-8' }];
      })
      .persist();
  };

  const wrapped: GitHubMock = {
    get requests() {
      return github.requests;
    },
    octokit: () => github.octokit(),
    reply(method, pathAndQuery, status, body, options) {
      const sha = method === 'GET' && status === 200 ? BLOB_PATH.exec(pathAndQuery)?.[3] : undefined;
      if (!sha || !pathAndQuery.startsWith(prefix)) {
        github.reply(method, pathAndQuery, status, body, options);
        return;
      }
      served.set(sha, body as Record<string, unknown>);
      if (!registered) register();
    },
  };
  return { github: wrapped, answered: () => answered, problems };
}

// ---------------------------------------------------------------------------------------------
// The summary as data

export interface SummaryApproval {
  /** ✅ given, ⏳ still needed, ⛔ nobody can give it. */
  icon: string;
  canApprove: string[];
  approvedBy: string[];
  stillNeeded?: string;
}

export interface SummaryView {
  /** The first line, without "## " and the icon. */
  heading: string;
  /** "Policy decision: **...**". */
  decision?: string;
  /** By section title ("Owner's manager", "Security team", "Governance approvers"). */
  approvals: Record<string, SummaryApproval>;
  /** Login -> why, from "Approvals that do not count". */
  notCounting: Record<string, string>;
}

/** Markdown-escaped text back to plain words: no backslash escapes, code spans (mentions) unwrapped. */
export function plainText(markdown: string): string {
  return readerText(markdown);
}

/** "@a, @b and @c" -> ["a", "b", "c"]; "nobody", "nobody yet" -> []. */
function logins(text: string): string[] {
  const t = plainText(text).trim();
  if (t === 'nobody' || t === 'nobody yet') return [];
  return t
    .split(/, | and | or /)
    .map((s) => s.trim().replace(/^@/, ''))
    .filter(Boolean);
}

export function readSummary(summary: string): SummaryView {
  const lines = summary.split('\n');
  const view: SummaryView = { heading: plainText(lines[0]!.replace(/^## \S+ /, '')), approvals: {}, notCounting: {} };
  let section: string | undefined;
  for (const line of lines.slice(1)) {
    const decision = /^Policy decision: \*\*(.*)\*\*\.$/.exec(line);
    if (decision) view.decision = plainText(decision[1]!);
    const heading = /^### (?:(✅|⏳|⛔) )?(.*)$/.exec(line);
    if (heading) {
      section = plainText(heading[2]!);
      if (heading[1]) view.approvals[section] = { icon: heading[1], canApprove: [], approvedBy: [] };
      continue;
    }
    const approval = section ? view.approvals[section] : undefined;
    const item = /^- \*\*(Can approve|Approved by|Still needed):\*\* (.*)$/.exec(line);
    if (approval && item) {
      if (item[1] === 'Can approve') approval.canApprove = logins(item[2]!);
      else if (item[1] === 'Approved by') approval.approvedBy = logins(item[2]!);
      else approval.stillNeeded = plainText(item[2]!);
      continue;
    }
    const ignored = /^- (@\S+): (.*)$/.exec(plainText(line));
    if (section === 'Approvals that do not count' && ignored) view.notCounting[ignored[1]!.slice(1)] = ignored[2]!;
  }
  return view;
}
