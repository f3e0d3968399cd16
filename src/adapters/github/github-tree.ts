/**
 * A tree read through GitHub's Git Data API, for the GitHub App: the same TreeSource as
 * CommitTree (src/adapters/git/commit-tree.ts), without a clone.
 *
 *   listing(): GET /repos/{owner}/{repo}/git/commits/{sha} (commit -> tree), then
 *              GET /repos/{owner}/{repo}/git/trees/{tree}?recursive=1, keeping governed paths
 *              (and the governance paths asked for). Each answer is asked for once per tree.
 *   read():    GET /repos/{owner}/{repo}/git/blobs/{sha} for each wanted file, 8 at a time.
 *
 * It fails closed: when GitHub truncates a listing, the App does not see every governed file
 * and throws TreeTooLargeError rather than judge a partial tree (DESIGN.md section 8, item 5).
 */
import { createHash } from 'node:crypto';
import { MAX_FILE_BYTES } from '../../core/parse/limits.js';
import type { EntryKind, FileContents, TreeEntry, TreeListing } from '../../core/tree.js';
import { pathFromText } from '../../core/path-names.js';
import { inListingScope, isRepositoryRootPath, listingKey, listingNames, miscasedRootName, REPOSITORY_ROOT_MARK } from '../../core/tree.js';
import { SourceError, TreeTooLargeError } from '../../core/errors.js';
import type { TreeSource } from '../tree-source.js';
import type { BlobCache } from './blob-cache.js';
import { statusOf, toSourceError, type GitHubClient } from './client.js';
import { byPath } from '../../core/order.js';

/** How many blobs are fetched at once. */
export const BLOB_CONCURRENCY = 8;

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
  /** By the governance paths asked for (core/tree.ts listingKey). */
  private readonly listed = new Map<string, Promise<Listed>>();
  /** Every entry any listing found, for read(). */
  private readonly known = new Map<string, { entry: TreeEntry; size: number | undefined }>();
  private resolved?: Promise<{ sha: string; recursive: ApiTree }>;
  /** GitHub's answers by tree id and depth: a second listing asks for nothing twice. */
  private readonly trees = new Map<string, Promise<ApiTree>>();

  constructor(options: GitHubTreeOptions) {
    this.octokit = options.octokit;
    this.owner = options.owner;
    this.repo = options.repo;
    this.commitOrTreeSha = options.commitOrTreeSha;
    this.label = options.label;
    this.prefix = normalizePrefix(options.prefix ?? '');
    this.blobCache = options.blobCache;
  }

  async listing(governancePaths: readonly string[] = []): Promise<TreeListing> {
    return { entries: (await this.list(governancePaths)).entries };
  }

  /** Reads files listed before (by any listing); the governed paths are listed when nothing was. */
  async read(paths: readonly string[]): Promise<FileContents> {
    if (this.known.size === 0) await this.list([]);
    const known = this.known;
    const wanted = paths.filter((p) => {
      const kind = known.get(p)?.entry.kind;
      return kind === 'file' || kind === 'symlink';
    });
    const oidOf = (p: string) => known.get(p)!.entry.oid;
    const oids = [...new Set(wanted.map(oidOf))];
    const sizeOf = new Map<string, number | undefined>();
    for (const p of wanted) sizeOf.set(oidOf(p), known.get(p)!.size);

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
    for (const p of wanted) out.set(p, blobs.get(oidOf(p))!);
    return out;
  }

  private list(governancePaths: readonly string[]): Promise<Listed> {
    const names = listingNames(governancePaths);
    const key = listingKey(governancePaths);
    return once(this.listed, key, () =>
      this.load(names, governancePaths).catch((error: unknown) => {
        // A failed listing is asked for from the start next time: nothing of it is kept.
        this.resolved = undefined;
        this.trees.clear();
        throw error;
      }),
    );
  }

  private async load(names: readonly string[], governancePaths: readonly string[]): Promise<Listed> {
    this.resolved ??= this.resolveTree();
    const root = await this.resolved;
    // The usual case: one answer holds the whole repository.
    if (!root.recursive.truncated) return this.toListing(root.recursive.tree, governancePaths);
    return this.toListing(await this.listSubtrees(root.sha, names), governancePaths);
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

  private getTree(sha: string, recursive: boolean, what: string): Promise<ApiTree> {
    return once(this.trees, `${sha}:${recursive}`, () => this.fetchTree(sha, recursive, what));
  }

  private async fetchTree(sha: string, recursive: boolean, what: string): Promise<ApiTree> {
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
   * then list each governed folder and governance path (`names`, e.g. "registry", "action",
   * "package.json", "tools/gate") on its own. Still all or nothing: a truncated answer fails.
   */
  private async listSubtrees(rootSha: string, names: readonly string[]): Promise<ApiTreeEntry[]> {
    const out: ApiTreeEntry[] = [];
    // Governance paths marked as the repository's ("/action"): from the repository's top folder.
    const atTop = names.filter(isRepositoryRootPath).map((n) => n.slice(REPOSITORY_ROOT_MARK.length));
    await this.listNames(rootSha, '', atTop, out);
    let sha = rootSha;
    let at = '';
    for (const segment of this.prefix.split('/').filter(Boolean)) {
      const level = await this.level(sha, at);
      const next = level.find((e) => e.path === segment && e.type === 'tree');
      // The registry folder does not exist at this commit: an empty registry (as CommitTree).
      if (!next?.sha) return out;
      sha = next.sha;
      at = `${at}${segment}/`;
    }
    // Also "Registry/" and the like: listed so that they are refused, not ignored.
    const top = await this.level(sha, at);
    const all = [
      ...names.filter((n) => !isRepositoryRootPath(n)),
      ...top.map((e) => e.path ?? '').filter((p) => miscasedRootName(p) !== undefined),
    ];
    await this.listNames(sha, at, all, out);
    return out;
  }

  /** Each name (a folder or a file, e.g. "tools/gate") under the folder `at` (tree `sha`), whole, into `out` with full paths. */
  private async listNames(sha: string, at: string, all: readonly string[], out: ApiTreeEntry[]): Promise<void> {
    for (const name of all) {
      const found: ApiTreeEntry[] = [];
      await this.listName(sha, at, name, found);
      // One entry once, even when two names reached it (a governance path that is, or holds,
      // a governed folder of a registry in a subfolder); twins within one answer stay twins.
      const before = new Set(out.map(entryKey));
      for (const e of found) if (!before.has(entryKey(e))) out.push(e);
    }
  }

  private async listName(sha: string, at: string, name: string, out: ApiTreeEntry[]): Promise<void> {
    // Down to the folder that holds the name ("tools/" for "tools/gate").
    const segments = name.split('/');
    const last = segments.pop()!;
    let folderSha: string | undefined = sha;
    let folder = at;
    for (const segment of segments) {
      const next: ApiTreeEntry | undefined = (await this.level(folderSha, folder)).find((e) => e.path === segment && e.type === 'tree');
      folderSha = next?.sha;
      folder = `${folder}${segment}/`;
      if (!folderSha) break;
    }
    if (!folderSha) return;
    const level = await this.level(folderSha, folder);
    // A symlink (or file) where a governed folder should be is listed, to be refused; a
    // governance path that is one file (package.json) is listed here too.
    for (const e of level) if (e.path === last && e.type !== 'tree') out.push({ ...e, path: `${folder}${last}` });
    const sub = level.find((e) => e.path === last && e.type === 'tree');
    if (!sub?.sha) return;
    const tree = await this.getTree(sub.sha, true, `the tree of ${this.label} at "${folder}${last}/"`);
    if (tree.truncated) throw new TreeTooLargeError(this.label, `the governed folder "${folder}${last}/"`);
    for (const e of tree.tree) out.push({ ...e, path: `${folder}${last}/${e.path ?? ''}` });
  }

  /** One folder's own entries (not recursive), whole or not at all. */
  private async level(sha: string, at: string): Promise<ApiTreeEntry[]> {
    const level = await this.getTree(sha, false, `the tree of ${this.label} at "${at || '/'}"`);
    if (level.truncated) throw new TreeTooLargeError(this.label, `the folder "${at || '/'}"`);
    return level.tree;
  }

  private toListing(raw: readonly ApiTreeEntry[], governancePaths: readonly string[]): Listed {
    const entries: TreeEntry[] = [];
    const sizes = new Map<string, number | undefined>();
    const fromTop = governancePaths.some(isRepositoryRootPath);
    for (const e of raw) {
      if (typeof e.path !== 'string') continue;
      // GitHub's JSON holds names already decoded: escape what is not plain text (refused in the core).
      // A path is listed as the registry's (under the prefix), as the repository's (marked "/",
      // a governance path of a registry in a subfolder: core/tree.ts governanceScope), or both.
      const asRepository = `${REPOSITORY_ROOT_MARK}${pathFromText(e.path)}`;
      const forms = [
        ...(e.path.startsWith(this.prefix) ? [pathFromText(e.path.slice(this.prefix.length))] : []),
        ...(fromTop ? [asRepository] : []),
      ].filter((path) => inListingScope(path, governancePaths));
      for (const path of forms) this.addEntry(e, path, entries, sizes);
    }
    entries.sort(byPath);
    for (const entry of entries) this.known.set(entry.path, { entry, size: sizes.get(entry.path) });
    return { entries, sizes, byPath: new Map(entries.map((e) => [e.path, e])) };
  }

  private addEntry(e: ApiTreeEntry, path: string, entries: TreeEntry[], sizes: Map<string, number | undefined>): void {
    if (e.type === 'tree') return;
    const kind = kindOf(e);
    if (!kind || typeof e.sha !== 'string' || !e.sha) {
      // Fail closed: a governed entry this adapter does not understand is not skipped.
      throw new SourceError(
        `${this.label}: "${path}" has an unexpected git mode ${e.mode ?? '?'} (type ${e.type ?? '?'}); the App cannot judge it.`,
      );
    }
    if (sizes.has(path)) {
      // Two entries with one name: GitHub decoded different raw names the same way. Judging
      // either would hide the other's change, so neither is judged.
      throw new SourceError(
        `${this.label}: two files are listed as "${path}" (names that are not valid UTF-8); the App cannot tell them apart. Rename them.`,
      );
    }
    entries.push({ path, kind, oid: e.sha });
    sizes.set(path, typeof e.size === 'number' ? e.size : undefined);
  }

  private async fetchBlob(oid: string): Promise<Uint8Array> {
    // Only verified blobs (a full 40-hex id that the bytes hash to) are kept and shared; keyed by
    // repository, so one repository's answer never serves another's.
    if (!this.blobCache || !/^[0-9a-f]{40}$/i.test(oid)) return this.downloadBlob(oid);
    const key = `${this.owner}/${this.repo}:${oid}`.toLowerCase();
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

function entryKey(e: ApiTreeEntry): string {
  return `${e.path ?? ''}\0${e.mode ?? ''}\0${e.sha ?? ''}`;
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

/** The cached promise under `key`, started by `start` when absent; a failure is forgotten (asked again next time). */
function once<T>(cache: Map<string, Promise<T>>, key: string, start: () => Promise<T>): Promise<T> {
  let pending = cache.get(key);
  if (!pending) {
    const started = start();
    pending = started;
    cache.set(key, started);
    started.catch(() => {
      if (cache.get(key) === started) cache.delete(key);
    });
  }
  return pending;
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
