/**
 * A tree read through GitHub's Git Data API, for the GitHub App: the same TreeSource as
 * CommitTree (src/adapters/git/commit-tree.ts), without a clone.
 *
 *   listing(): GET /repos/{owner}/{repo}/git/commits/{sha} (commit -> tree), then
 *              GET /repos/{owner}/{repo}/git/trees/{tree}?recursive=1, keeping governed paths.
 *   read():    GET /repos/{owner}/{repo}/git/blobs/{sha} for each wanted file, 8 at a time.
 *
 * It fails closed: when GitHub truncates a listing, the App does not see every governed file
 * and throws TreeTooLargeError rather than judge a partial tree (DESIGN.md section 8, item 5).
 */
import { createHash } from 'node:crypto';
import { MAX_FILE_BYTES } from '../../core/parse/limits.js';
import type { EntryKind, FileContents, TreeEntry, TreeListing } from '../../core/tree.js';
import { pathFromText } from '../../core/path-names.js';
import { GOVERNED_ROOT_NAMES, isGoverned, miscasedRootName } from '../../core/tree.js';
import { SourceError, type TreeSource } from '../tree-source.js';
import type { BlobCache } from './blob-cache.js';
import { statusOf, toSourceError, type GitHubClient } from './client.js';

/** How many blobs are fetched at once. */
export const BLOB_CONCURRENCY = 8;

/** GitHub could not list the tree in one answer: judging what it did list would be unsafe. */
export class TreeTooLargeError extends SourceError {
  constructor(label: string, scope: string) {
    super(
      `${label}: ${scope} is too large for GitHub to list in one API call (GitHub truncated the listing), ` +
        'so the App cannot see every governed file and will not judge this change. ' +
        'Run the check from a clone instead (the microapps CLI or the GitHub Action read git directly).',
    );
    this.name = 'TreeTooLargeError';
  }
}

export interface GitHubTreeOptions {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  /** A commit id (resolved to its tree) or a tree id. */
  commitOrTreeSha: string;
  /** Human-readable name for messages, e.g. "main (3f2c1a0)". */
  label: string;
  /** Where the registry sits inside the repository ("" or e.g. "apps/registry/"). */
  prefix?: string;
  /** Blobs read before (by this process), reused by id; see blob-cache.ts. */
  blobCache?: BlobCache;
}

/** One entry of GitHub's tree answer (the fields this adapter uses). */
interface ApiTreeEntry {
  path?: string;
  mode?: string;
  type?: string;
  sha?: string;
  size?: number;
}

interface ApiTree {
  sha: string;
  truncated: boolean;
  tree: ApiTreeEntry[];
}

interface Listed {
  entries: TreeEntry[];
  /** Blob sizes by path, from the listing: oversize blobs are never fetched. */
  sizes: Map<string, number | undefined>;
  byPath: Map<string, TreeEntry>;
}

export class GitHubTree implements TreeSource {
  readonly label: string;
  readonly owner: string;
  readonly repo: string;
  readonly commitOrTreeSha: string;
  readonly prefix: string;
  private readonly octokit: GitHubClient;
  private readonly blobCache?: BlobCache;
  private listed?: Promise<Listed>;

  constructor(options: GitHubTreeOptions) {
    this.octokit = options.octokit;
    this.owner = options.owner;
    this.repo = options.repo;
    this.commitOrTreeSha = options.commitOrTreeSha;
    this.label = options.label;
    this.prefix = normalizePrefix(options.prefix ?? '');
    this.blobCache = options.blobCache;
  }

  async listing(): Promise<TreeListing> {
    return { entries: (await this.list()).entries };
  }

  async read(paths: readonly string[]): Promise<FileContents> {
    const { byPath, sizes } = await this.list();
    const wanted = paths.filter((p) => {
      const kind = byPath.get(p)?.kind;
      return kind === 'file' || kind === 'symlink';
    });
    const oids = [...new Set(wanted.map((p) => byPath.get(p)!.oid))];
    const sizeOf = new Map<string, number | undefined>();
    for (const p of wanted) sizeOf.set(byPath.get(p)!.oid, sizes.get(p));

    let placeholder: Uint8Array | undefined;
    const blobs = new Map<string, Uint8Array>();
    const toFetch: string[] = [];
    for (const oid of oids) {
      const size = sizeOf.get(oid);
      if (size !== undefined && size > MAX_FILE_BYTES) {
        // One byte over the cap, never fetched: the parser refuses it as too large.
        placeholder ??= new Uint8Array(MAX_FILE_BYTES + 1);
        blobs.set(oid, placeholder);
      } else {
        toFetch.push(oid);
      }
    }
    await forEachLimited(toFetch, BLOB_CONCURRENCY, async (oid) => {
      blobs.set(oid, await this.fetchBlob(oid));
    });

    const out = new Map<string, Uint8Array>();
    for (const p of wanted) out.set(p, blobs.get(byPath.get(p)!.oid)!);
    return out;
  }

  private list(): Promise<Listed> {
    if (!this.listed) {
      const loading = this.load();
      this.listed = loading;
      // A failed listing (e.g. a network error) may be retried by calling again.
      loading.catch(() => {
        if (this.listed === loading) this.listed = undefined;
      });
    }
    return this.listed;
  }

  private async load(): Promise<Listed> {
    const root = await this.resolveTree();
    // The usual case: one answer holds the whole repository.
    if (!root.recursive.truncated) return this.toListing(root.recursive.tree);
    return this.toListing(await this.listGovernedSubtrees(root.sha));
  }

  /**
   * The tree id of `commitOrTreeSha`: a commit is resolved through the Git Commits API; an
   * id that is not a commit is tried as a tree (its recursive listing is then already here).
   */
  private async resolveTree(): Promise<{ sha: string; recursive: ApiTree }> {
    const sha = this.commitOrTreeSha;
    let treeSha: string;
    try {
      const { data } = await this.octokit.request('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', {
        owner: this.owner,
        repo: this.repo,
        commit_sha: sha,
      });
      treeSha = data.tree.sha;
    } catch (error) {
      const status = statusOf(error);
      if (status !== 404 && status !== 422) throw toSourceError(error, `commit ${sha}`, this);
      // Not a commit: maybe a tree.
      const tree = await this.getTree(sha, true, `commit or tree ${sha}`);
      return { sha: tree.sha, recursive: tree };
    }
    return { sha: treeSha, recursive: await this.getTree(treeSha, true, `the tree of ${this.label}`) };
  }

  private async getTree(sha: string, recursive: boolean, what: string): Promise<ApiTree> {
    try {
      const { data } = await this.octokit.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
        owner: this.owner,
        repo: this.repo,
        tree_sha: sha,
        ...(recursive ? { recursive: '1' } : {}),
      });
      return data;
    } catch (error) {
      throw toSourceError(error, what, this);
    }
  }

  /**
   * When the whole repository is too large for one listing: walk down to the registry root,
   * then list each governed folder on its own. Still all or nothing: a truncated answer fails.
   */
  private async listGovernedSubtrees(rootSha: string): Promise<ApiTreeEntry[]> {
    let sha = rootSha;
    let at = '';
    for (const segment of this.prefix.split('/').filter(Boolean)) {
      const level = await this.getTree(sha, false, `the tree of ${this.label} at "${at || '/'}"`);
      if (level.truncated) throw new TreeTooLargeError(this.label, `the folder "${at || '/'}"`);
      const next = level.tree.find((e) => e.path === segment && e.type === 'tree');
      // The registry folder does not exist at this commit: an empty registry (as CommitTree).
      if (!next?.sha) return [];
      sha = next.sha;
      at = `${at}${segment}/`;
    }
    const top = await this.getTree(sha, false, `the tree of ${this.label} at "${at || '/'}"`);
    if (top.truncated) throw new TreeTooLargeError(this.label, `the folder "${at || '/'}"`);
    const out: ApiTreeEntry[] = [];
    // Also "Registry/" and the like: listed so that they are refused, not ignored.
    const names = [...GOVERNED_ROOT_NAMES, ...top.tree.map((e) => e.path ?? '').filter((p) => miscasedRootName(p) !== undefined)];
    for (const name of names) {
      const folder = top.tree.find((e) => e.path === name && e.type === 'tree');
      // A symlink (or file) where a governed folder should be is listed, to be refused.
      for (const e of top.tree) if (e.path === name && e.type !== 'tree') out.push({ ...e, path: `${at}${name}` });
      if (!folder?.sha) continue;
      const sub = await this.getTree(folder.sha, true, `the tree of ${this.label} at "${at}${name}/"`);
      if (sub.truncated) throw new TreeTooLargeError(this.label, `the governed folder "${at}${name}/"`);
      for (const e of sub.tree) out.push({ ...e, path: `${at}${name}/${e.path ?? ''}` });
    }
    return out;
  }

  private toListing(raw: readonly ApiTreeEntry[]): Listed {
    const entries: TreeEntry[] = [];
    const sizes = new Map<string, number | undefined>();
    for (const e of raw) {
      if (typeof e.path !== 'string' || !e.path.startsWith(this.prefix)) continue;
      // GitHub's JSON holds names already decoded: escape what is not plain text (refused in the core).
      const path = pathFromText(e.path.slice(this.prefix.length));
      if (!isGoverned(path)) continue;
      if (e.type === 'tree') continue;
      const kind = kindOf(e);
      if (!kind || typeof e.sha !== 'string' || !e.sha) {
        // Fail closed: a governed entry this adapter does not understand is not skipped.
        throw new SourceError(`${this.label}: "${path}" has an unexpected git mode ${e.mode ?? '?'} (type ${e.type ?? '?'}); the App cannot judge it.`);
      }
      if (sizes.has(path)) {
        // Two entries with one name: GitHub decoded different raw names the same way. Judging
        // either would hide the other's change, so neither is judged.
        throw new SourceError(`${this.label}: two files are listed as "${path}" (names that are not valid UTF-8); the App cannot tell them apart. Rename them.`);
      }
      entries.push({ path, kind, oid: e.sha });
      sizes.set(path, typeof e.size === 'number' ? e.size : undefined);
    }
    entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { entries, sizes, byPath: new Map(entries.map((e) => [e.path, e])) };
  }

  private async fetchBlob(oid: string): Promise<Uint8Array> {
    // Only verified blobs (a full 40-hex id that the bytes hash to) are kept and shared; keyed by
    // repository, so one repository's answer never serves another's.
    if (!this.blobCache || !/^[0-9a-f]{40}$/i.test(oid)) return this.downloadBlob(oid);
    const key = `${this.owner}/${this.repo}`.toLowerCase() + `:${oid.toLowerCase()}`;
    return this.blobCache.load(key, () => this.downloadBlob(oid));
  }

  private async downloadBlob(oid: string): Promise<Uint8Array> {
    let data: { content: string; encoding: string; size: number | null };
    try {
      ({ data } = await this.octokit.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', {
        owner: this.owner,
        repo: this.repo,
        file_sha: oid,
      }));
    } catch (error) {
      throw toSourceError(error, `blob ${oid} of ${this.label}`, this);
    }
    let bytes: Uint8Array;
    if (data.encoding === 'base64') bytes = Buffer.from(data.content, 'base64');
    else if (data.encoding === 'utf-8' || data.encoding === 'utf8') bytes = Buffer.from(data.content, 'utf8');
    else throw new SourceError(`${this.label}: blob ${oid} came in an unknown encoding "${data.encoding}".`);
    // Content-addressed: what GitHub sent must hash to the id that was asked for.
    if (/^[0-9a-f]{40}$/i.test(oid) && gitBlobId(bytes) !== oid.toLowerCase()) {
      throw new SourceError(`${this.label}: GitHub's answer for blob ${oid} does not match its id; refusing to judge it.`);
    }
    return bytes;
  }
}

function kindOf(e: ApiTreeEntry): EntryKind | undefined {
  if (e.type === 'blob' && e.mode === '120000') return 'symlink';
  // git reads any regular-file mode (100644, 100755, legacy 100664) as a file.
  if (e.type === 'blob' && /^100[0-7]{3}$/.test(e.mode ?? '')) return 'file';
  if (e.type === 'commit' && e.mode === '160000') return 'submodule';
  return undefined;
}

/** "apps/registry" -> "apps/registry/"; "" and "/" and "./" -> "". */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
  return trimmed ? `${trimmed}/` : '';
}

/** The git object id of a blob with these bytes (SHA-1 of "blob <size>\0<bytes>"). */
export function gitBlobId(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}

/** Runs `task` over `items`, at most `limit` at a time; the first failure rejects. */
async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const item = items[next++]!;
      try {
        await task(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
