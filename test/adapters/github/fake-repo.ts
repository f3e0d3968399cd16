/**
 * GitHub's answers for a real temporary git repository: the Git Data API bodies (commits,
 * trees, blobs) and the compare API, built from the repository's objects, so every SHA,
 * size and byte is real. Shapes follow GitHub's (and are checked against its OpenAPI
 * description when mocked through useGitHubMock()).
 */
import { execFileSync } from 'node:child_process';
import { isolatedEnv, type GitRepo } from '../../helpers/git-repo.js';
import { API, type GitHubMock, type ReplyOptions } from './mock-github.js';

export interface ApiTreeEntry {
  path: string;
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  size?: number;
  url?: string;
}

export interface ApiTreeBody {
  sha: string;
  url: string;
  tree: ApiTreeEntry[];
  truncated: boolean;
}

const WEB = 'https://github.com';

export class FakeGitHubRepo {
  constructor(
    readonly repo: GitRepo,
    readonly owner = 'acme',
    readonly name = 'registry',
  ) {}

  /** "/repos/acme/registry" + rest. */
  path(rest: string): string {
    return `/repos/${this.owner}/${this.name}${rest}`;
  }

  private url(rest: string): string {
    return `${API}${this.path(rest)}`;
  }

  private raw(...args: string[]): Buffer {
    return execFileSync('git', args, {
      cwd: this.repo.dir,
      env: isolatedEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  }

  /** The tree id of a commit. */
  treeOf(commit: string): string {
    return this.repo.git('rev-parse', `${commit}^{tree}`).trim();
  }

  /** GET /repos/{owner}/{repo}/git/commits/{commit_sha} */
  gitCommit(sha: string): Record<string, unknown> {
    const c = this.parseCommit(sha);
    return {
      sha,
      node_id: nodeId('Commit', sha),
      url: this.url(`/git/commits/${sha}`),
      html_url: `${WEB}/${this.owner}/${this.name}/commit/${sha}`,
      author: c.author,
      committer: c.committer,
      tree: { sha: c.tree, url: this.url(`/git/trees/${c.tree}`) },
      message: c.message,
      parents: c.parents.map((p) => ({
        sha: p,
        url: this.url(`/git/commits/${p}`),
        html_url: `${WEB}/${this.owner}/${this.name}/commit/${p}`,
      })),
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    };
  }

  /** GET /repos/{owner}/{repo}/git/trees/{tree_sha}[?recursive=1], as GitHub lists it (trees included). */
  tree(treeSha: string, recursive: boolean): ApiTreeBody {
    const out = this.raw('ls-tree', '-t', '-l', '-z', ...(recursive ? ['-r'] : []), treeSha);
    const tree: ApiTreeEntry[] = [];
    for (const record of out.toString('utf8').split('\0')) {
      if (!record) continue;
      const tab = record.indexOf('\t');
      const [mode, type, sha, size] = record.slice(0, tab).split(/ +/) as [string, ApiTreeEntry['type'], string, string];
      const entry: ApiTreeEntry = { path: record.slice(tab + 1), mode, type, sha };
      if (type === 'blob') {
        entry.size = Number(size);
        entry.url = this.url(`/git/blobs/${sha}`);
      } else if (type === 'tree') {
        entry.url = this.url(`/git/trees/${sha}`);
      }
      tree.push(entry);
    }
    return { sha: treeSha, url: this.url(`/git/trees/${treeSha}`), tree, truncated: false };
  }

  /** GET /repos/{owner}/{repo}/git/blobs/{file_sha}: base64 in 60-character lines, like GitHub. */
  blob(sha: string): Record<string, unknown> {
    const bytes = this.raw('cat-file', 'blob', sha);
    const base64 = bytes.toString('base64').replace(/.{60}/g, '$&\n');
    return {
      sha,
      node_id: nodeId('Blob', sha),
      size: bytes.length,
      url: this.url(`/git/blobs/${sha}`),
      content: base64.endsWith('\n') ? base64 : `${base64}\n`,
      encoding: 'base64',
    };
  }

  /** A "commit" of the REST API (as in compare's base_commit and merge_base_commit). */
  restCommit(sha: string): Record<string, unknown> {
    const c = this.parseCommit(sha);
    return {
      url: this.url(`/commits/${sha}`),
      sha,
      node_id: nodeId('Commit', sha),
      html_url: `${WEB}/${this.owner}/${this.name}/commit/${sha}`,
      comments_url: this.url(`/commits/${sha}/comments`),
      commit: {
        url: this.url(`/git/commits/${sha}`),
        author: c.author,
        committer: c.committer,
        message: c.message,
        comment_count: 0,
        tree: { sha: c.tree, url: this.url(`/git/trees/${c.tree}`) },
        verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
      },
      // No GitHub account matches the test repository's commit emails.
      author: null,
      committer: null,
      parents: c.parents.map((p) => ({
        sha: p,
        url: this.url(`/commits/${p}`),
        html_url: `${WEB}/${this.owner}/${this.name}/commit/${p}`,
      })),
    };
  }

  /** GET /repos/{owner}/{repo}/compare/{base}...{head}?per_page=1 */
  compare(base: string, head: string): Record<string, unknown> {
    const mergeBase = this.repo.git('merge-base', base, head).trim();
    const ahead = Number(this.repo.git('rev-list', '--count', `${base}..${head}`).trim());
    const behind = Number(this.repo.git('rev-list', '--count', `${head}..${base}`).trim());
    const status = ahead === 0 && behind === 0 ? 'identical' : behind === 0 ? 'ahead' : ahead === 0 ? 'behind' : 'diverged';
    const first = this.repo.git('rev-list', '--reverse', `${base}..${head}`).trim().split('\n').filter(Boolean).slice(0, 1);
    return {
      url: this.url(`/compare/${base}...${head}`),
      html_url: `${WEB}/${this.owner}/${this.name}/compare/${base}...${head}`,
      permalink_url: `${WEB}/${this.owner}/${this.name}/compare/${this.owner}:${base.slice(0, 7)}...${this.owner}:${head.slice(0, 7)}`,
      diff_url: `${WEB}/${this.owner}/${this.name}/compare/${base}...${head}.diff`,
      patch_url: `${WEB}/${this.owner}/${this.name}/compare/${base}...${head}.patch`,
      base_commit: this.restCommit(base),
      merge_base_commit: this.restCommit(mergeBase),
      status,
      ahead_by: ahead,
      behind_by: behind,
      total_commits: ahead,
      commits: first.map((sha) => this.restCommit(sha)),
    };
  }

  /** Mocks resolving `commit` and listing its tree recursively (one GitHubTree.listing()). */
  serveListing(github: GitHubMock, commit: string, options: ReplyOptions = {}): ApiTreeBody {
    const treeSha = this.treeOf(commit);
    const body = this.tree(treeSha, true);
    github.reply('GET', this.path(`/git/commits/${commit}`), 200, this.gitCommit(commit), options);
    github.reply('GET', this.path(`/git/trees/${treeSha}?recursive=1`), 200, body, options);
    return body;
  }

  /** Mocks every blob reachable from `commit` as optional and reusable. */
  serveBlobsOf(github: GitHubMock, commit: string, served = new Set<string>()): Set<string> {
    for (const e of this.tree(this.treeOf(commit), true).tree) {
      if (e.type !== 'blob' || served.has(e.sha)) continue;
      served.add(e.sha);
      github.reply('GET', this.path(`/git/blobs/${e.sha}`), 200, this.blob(e.sha), { optional: true, times: Infinity });
    }
    return served;
  }

  private parseCommit(sha: string): {
    tree: string;
    parents: string[];
    author: { name: string; email: string; date: string };
    committer: { name: string; email: string; date: string };
    message: string;
  } {
    const text = this.raw('cat-file', 'commit', sha).toString('utf8');
    const split = text.indexOf('\n\n');
    const headers = text.slice(0, split).split('\n');
    const person = (line: string | undefined) => {
      const m = /^\w+ (.*) <(.*)> (\d+) ([+-]\d{4})$/.exec(line ?? '');
      if (!m) throw new Error(`cannot parse "${line}"`);
      return { name: m[1]!, email: m[2]!, date: new Date(Number(m[3]) * 1000).toISOString().replace(/\.000Z$/, 'Z') };
    };
    return {
      tree: headers.find((h) => h.startsWith('tree '))!.slice(5),
      parents: headers.filter((h) => h.startsWith('parent ')).map((h) => h.slice(7)),
      author: person(headers.find((h) => h.startsWith('author '))),
      committer: person(headers.find((h) => h.startsWith('committer '))),
      message: text.slice(split + 2),
    };
  }
}

function nodeId(kind: string, sha: string): string {
  return Buffer.from(`${kind}:${sha}`).toString('base64');
}
