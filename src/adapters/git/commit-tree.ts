import type { FileContents, TreeEntry, TreeListing } from '../../core/tree.js';
import { pathFromBytes, pathFromText, pathNameProblem } from '../../core/path-names.js';
import {
  GOVERNED_ROOT_NAMES,
  inListingScope,
  isRepositoryRootPath,
  listingKey,
  listingNames,
  miscasedRootName,
  REPOSITORY_ROOT_MARK,
} from '../../core/tree.js';
import { NotAGitRepositoryError, RefNotFoundError, SourceError } from '../../core/errors.js';
import type { TreeSource } from '../tree-source.js';
import { readBlobs } from './read-blobs.js';
import { runGit } from './run-git.js';
import { byPath as pathOrder } from '../../core/order.js';

/** Git file modes to entry kinds; shared with the working tree's listing. */
export const KINDS: Readonly<Record<string, TreeEntry['kind']>> = {
  '100644': 'file',
  '100755': 'file',
  '120000': 'symlink',
  '160000': 'submodule',
};

/** Resolves a ref to a commit id, or fails with a one-line message (exit code 2 in the CLI). */
export async function resolveCommit(cwd: string, ref: string): Promise<string> {
  if (ref.startsWith('-')) throw new SourceError(`"${ref}" is not a git ref.`);
  const result = await runGit(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  if (result.code !== 0) {
    await mustBeInRepository(cwd);
    throw new RefNotFoundError(ref);
  }
  return result.stdout.toString('utf8').trim();
}

/** The best common ancestor of two commits, or undefined when they share no history. */
export async function mergeBase(cwd: string, a: string, b: string): Promise<string | undefined> {
  const result = await runGit(cwd, ['merge-base', a, b]);
  return result.code === 0 ? result.stdout.toString('utf8').trim() || undefined : undefined;
}

/** Throws NotAGitRepositoryError when cwd is not inside a git repository. */
async function mustBeInRepository(cwd: string): Promise<void> {
  const inRepo = await runGit(cwd, ['rev-parse', '--git-dir']);
  if (inRepo.code !== 0) throw new NotAGitRepositoryError(cwd);
}

/** Where the registry root sits inside its git repository ("" at the top). */
export async function repositoryPrefix(cwd: string): Promise<string> {
  const result = await runGit(cwd, ['rev-parse', '--show-prefix']);
  if (result.code !== 0) {
    await mustBeInRepository(cwd);
    throw new SourceError(`git rev-parse failed: ${result.stderr.trim().split('\n')[0] || 'unknown error'}`);
  }
  const out = result.stdout;
  const prefix = pathFromBytes(out.subarray(0, out.at(-1) === 10 ? out.length - 1 : out.length));
  // A folder name that is not plain text would not find the registry in git's trees: it
  // would look empty, and an empty registry judges nothing. Fail closed instead.
  if (pathNameProblem(prefix) !== undefined)
    throw new SourceError(
      `the registry's folder "${prefix}" has a name that is not plain UTF-8 text; move the registry to a folder with an ordinary name.`,
    );
  return prefix;
}

/** A tree read straight from git objects: a pull request is judged without a checkout. */
export class CommitTree implements TreeSource {
  /** By the governance paths asked for (core/tree.ts listingKey). */
  private readonly listings = new Map<string, TreeEntry[]>();
  private readonly oidOf = new Map<string, string>();

  constructor(
    private readonly cwd: string,
    readonly commit: string,
    readonly label: string,
    readonly prefix = '',
  ) {}

  async listing(governancePaths: readonly string[] = []): Promise<TreeListing> {
    const names = listingNames(governancePaths);
    const key = listingKey(governancePaths);
    let entries = this.listings.get(key);
    if (!entries) {
      // The governed folders are listed once whatever the governance paths (the base is listed
      // first without them, to read its policy): only the extra names cost another listing.
      const extra = names.filter((n) => !isRepositoryRootPath(n) && !GOVERNED_ROOT_NAMES.includes(n));
      const atTop = names.filter(isRepositoryRootPath).map((n) => n.slice(REPOSITORY_ROOT_MARK.length));
      const [registry, more, top] = await Promise.all([this.governedFolders(), this.listRegistry(extra, false), this.listTop(atTop)]);
      const byPath = new Map<string, TreeEntry>();
      for (const e of [...registry, ...more, ...top]) if (inListingScope(e.path, governancePaths)) byPath.set(e.path, e);
      entries = [...byPath.values()].sort(pathOrder);
      this.listings.set(key, entries);
      for (const e of entries) this.oidOf.set(e.path, e.oid);
    }
    return { entries };
  }

  private governed: Promise<TreeEntry[]> | undefined;

  /** The governed folders (and miscased look-alikes), listed once per tree. */
  private governedFolders(): Promise<TreeEntry[]> {
    this.governed ??= this.listRegistry(GOVERNED_ROOT_NAMES, true);
    return this.governed;
  }

  private async listRegistry(names: readonly string[], withMiscased: boolean): Promise<TreeEntry[]> {
    if (names.length === 0) return [];
    const treeish = this.prefix ? `${this.commit}:${this.prefix.replace(/\/$/, '')}` : this.commit;
    // The bare names also list a symlink or file standing where a governed folder should be;
    // a governed folder spelt in another case is listed too, so it is refused, not ignored.
    // Literal pathspecs: a name is a name, never a pattern.
    const result = await runGit(this.cwd, [
      '--literal-pathspecs',
      'ls-tree',
      '-r',
      '-z',
      '--full-tree',
      treeish,
      '--',
      ...names,
      ...(withMiscased ? await this.miscasedRoots(treeish) : []),
    ]);
    if (result.code !== 0) {
      // The registry folder does not exist at this commit: an empty registry.
      if (this.prefix) return [];
      throw new SourceError(`could not list ${this.label}: ${result.stderr.trim()}`);
    }
    return parseLsTree(result.stdout);
  }

  /** Governance paths from the repository's top folder (whatever the prefix), marked "/action/x.js". */
  private async listTop(names: readonly string[]): Promise<TreeEntry[]> {
    if (names.length === 0) return [];
    const result = await runGit(this.cwd, ['--literal-pathspecs', 'ls-tree', '-r', '-z', '--full-tree', this.commit, '--', ...names]);
    if (result.code !== 0) throw new SourceError(`could not list ${this.label}: ${result.stderr.trim()}`);
    return parseLsTree(result.stdout).map((e) => ({ ...e, path: `${REPOSITORY_ROOT_MARK}${e.path}` }));
  }

  /** Top-level folders that spell a governed folder in another case ("Registry/"): listed too, so they are refused, not ignored. */
  private async miscasedRoots(treeish: string): Promise<string[]> {
    const top = await runGit(this.cwd, ['ls-tree', '-z', '--name-only', '--full-tree', treeish]);
    if (top.code !== 0) return [];
    return top.stdout
      .toString('utf8')
      .split('\0')
      .filter((name) => name !== '' && miscasedRootName(name) !== undefined)
      .map((name) => `${name}/`);
  }

  /** Reads files listed before (by any listing); the governed paths are listed when nothing was. */
  async read(paths: readonly string[]): Promise<FileContents> {
    if (this.listings.size === 0) await this.listing();
    const wanted = paths.filter((p) => this.oidOf.has(p));
    const blobs = await readBlobs(
      this.cwd,
      wanted.map((p) => this.oidOf.get(p)!),
    );
    const out = new Map<string, Uint8Array>();
    for (const p of wanted) out.set(p, blobs.get(this.oidOf.get(p)!)!);
    return out;
  }
}

/** Parses `git ls-tree -r -z`: "<mode> <type> <oid>\t<path>\0" per entry; see zRecords for the paths. */
export function parseLsTree(out: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const { header, path } of zRecords(out, true)) {
    const [mode, , oid] = header.split(' ');
    const kind = KINDS[mode ?? ''];
    if (!kind || !oid) continue;
    entries.push({ path, kind, oid });
  }
  entries.sort(pathOrder);
  return entries;
}

export interface ZRecord {
  /** What precedes the tab ("<mode> <oid> ..."), '' for records that are only a path. */
  header: string;
  /** The path, escaped where it is not plain text (core/path-names.ts). */
  path: string;
  /** The path as git gave it, to reach the file on disk. */
  raw: string | Buffer;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The NUL-terminated records of git's -z output. A path is never decoded with a lossy
 * decoder (two different names would become one): output that is all valid UTF-8 (the usual
 * case, decoded at once) is split as text; otherwise each path is escaped from its bytes.
 */
export function zRecords(out: Buffer, withHeader: boolean): ZRecord[] {
  const records: ZRecord[] = [];
  let text: string | undefined;
  try {
    text = utf8.decode(out);
  } catch {
    text = undefined;
  }
  if (text !== undefined) {
    for (const record of text.split('\0')) {
      if (!record) continue;
      const tab = withHeader ? record.indexOf('\t') : -1;
      if (withHeader && tab < 0) continue;
      const raw = record.slice(tab + 1);
      records.push({ header: record.slice(0, Math.max(tab, 0)), path: pathFromText(raw), raw });
    }
    return records;
  }
  let start = 0;
  while (start < out.length) {
    let end = out.indexOf(0, start);
    if (end < 0) end = out.length;
    const record = out.subarray(start, end);
    start = end + 1;
    if (record.length === 0) continue;
    const tab = withHeader ? record.indexOf(9) : -1;
    if (withHeader && tab < 0) continue;
    const raw = record.subarray(tab + 1);
    records.push({ header: record.subarray(0, Math.max(tab, 0)).toString('latin1'), path: pathFromBytes(raw), raw });
  }
  return records;
}
