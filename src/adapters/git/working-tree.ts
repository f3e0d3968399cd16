import { createHash } from 'node:crypto';
import { lstat, readFile } from 'node:fs/promises';
import { readCapped } from '../fs/read-capped.js';
import { join } from 'node:path';
import { pathNameProblem } from '../../core/path-names.js';
import type { FileContents, TreeEntry, TreeListing } from '../../core/tree.js';
import {
  GOVERNED_ROOT_NAMES,
  inListingScope,
  isRepositoryRootPath,
  listingKey,
  listingNames,
  REPOSITORY_ROOT_MARK,
} from '../../core/tree.js';
import type { TreeSource } from '../tree-source.js';
import { KINDS, zRecords } from './commit-tree.js';
import { git } from './run-git.js';
import { byPath as pathOrder } from '../../core/order.js';

/**
 * The working tree as it is now, including untracked (not ignored) files, listed with git
 * blob ids so it compares with a commit exactly as git would. Only files that differ from
 * the index are hashed, so the cost follows the size of the change.
 */
export class WorkingTree implements TreeSource {
  readonly label = 'the working tree';
  /** By the governance paths asked for (core/tree.ts listingKey). */
  private readonly listings = new Map<string, TreeEntry[]>();
  private top?: Promise<string>;

  /**
   * `root`: the registry's folder; `prefix`: where it sits in its repository ("" at the top),
   * so that governance paths marked as the repository's (core/tree.ts governanceScope) are
   * listed from the repository's top folder.
   */
  constructor(
    private readonly root: string,
    readonly prefix = '',
  ) {}

  async listing(governancePaths: readonly string[] = []): Promise<TreeListing> {
    const names = listingNames(governancePaths);
    const key = listingKey(governancePaths);
    const listed = this.listings.get(key);
    if (listed) return { entries: listed };
    // The bare names also list a symlink or file standing where a governed folder should be;
    // case-insensitive, so that a "Registry/" folder is listed (and refused), not ignored. The
    // governance paths are names, never patterns.
    const extra = names.filter((name) => !GOVERNED_ROOT_NAMES.includes(name) && !isRepositoryRootPath(name));
    const atTop = names.filter(isRepositoryRootPath).map((name) => name.slice(REPOSITORY_ROOT_MARK.length));
    const [registry, top] = await Promise.all([
      listFolder(this.root, [...GOVERNED_ROOT_NAMES.map((name) => `:(icase)${name}`), ...extra.map((name) => `:(literal)${name}`)]),
      atTop.length === 0
        ? []
        : this.topFolder().then((dir) =>
            listFolder(
              dir,
              atTop.map((name) => `:(literal)${name}`),
            ),
          ),
    ]);
    // A pathspec names a file or a folder alike ("action" lists action/x.js): keep what the
    // governance paths mean, as the other adapters do.
    const entries = [...registry, ...top.map((e) => ({ ...e, path: `${REPOSITORY_ROOT_MARK}${e.path}` }))]
      .filter((e) => inListingScope(e.path, governancePaths))
      .sort(pathOrder);
    this.listings.set(key, entries);
    return { entries };
  }

  /** The repository's top folder (the registry's folder when it is at the top). */
  private topFolder(): Promise<string> {
    // An absolute path, as git resolved it (the same folder when the registry's path goes through a link).
    this.top ??= git(this.root, ['rev-parse', '--show-toplevel']).then((out) => out.toString('utf8').replace(/\n$/, ''));
    return this.top;
  }

  async read(paths: readonly string[]): Promise<FileContents> {
    const out = new Map<string, Uint8Array>();
    for (const p of paths) {
      // A marked path ("/action/x.js") is the repository's, read from its top folder.
      out.set(
        p,
        readCapped(isRepositoryRootPath(p) ? join(await this.topFolder(), p.slice(REPOSITORY_ROOT_MARK.length)) : join(this.root, p)),
      );
    }
    return out;
  }
}

/**
 * The working tree under `pathspecs`, relative to `dir` (a folder of the repository), with git
 * blob ids: staged entries, then what differs from the index or is untracked, hashed.
 */
async function listFolder(dir: string, pathspecs: readonly string[]): Promise<TreeEntry[]> {
  const specs = ['--', ...pathspecs];
  const [staged, untracked, changed] = await Promise.all([
    git(dir, ['ls-files', '-s', '-z', ...specs]),
    git(dir, ['ls-files', '-o', '--exclude-standard', '-z', ...specs]),
    git(dir, ['diff-files', '--name-only', '-z', '--relative', ...specs]),
  ]);
  const byPath = new Map<string, TreeEntry>();
  for (const { header, path } of zRecords(staged, true)) {
    // "<mode> <oid> <stage>\t<path>"; a conflicted file has several stages: the last one wins.
    const [mode, oid] = header.split(' ');
    const kind = KINDS[mode ?? ''];
    if (kind && oid) byPath.set(path, { path, kind, oid });
  }
  const toHash: string[] = [];
  for (const { path, raw } of [...zRecords(changed, false), ...zRecords(untracked, false)]) {
    // The raw name reaches the file even when it is not UTF-8.
    const onDisk = Buffer.concat([Buffer.from(`${dir}/`), typeof raw === 'string' ? Buffer.from(raw) : raw]);
    const stat = await lstat(onDisk).catch(() => undefined);
    if (!stat) {
      byPath.delete(path); // deleted in the working tree
    } else if (stat.isSymbolicLink()) {
      byPath.set(path, { path, kind: 'symlink', oid: `symlink:${path}` });
    } else if (stat.isDirectory()) {
      byPath.set(path, { path, kind: 'submodule', oid: `submodule:${path}` });
    } else if (pathNameProblem(path) !== undefined) {
      // git reads --stdin-paths line by line: a name that is not plain text is hashed here.
      const bytes = await readFile(onDisk);
      const oid = createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
      byPath.set(path, { path, kind: 'file', oid });
    } else {
      toHash.push(path);
    }
  }
  if (toHash.length > 0) {
    const oids = (await git(dir, ['hash-object', '--no-filters', '--stdin-paths'], `${toHash.join('\n')}\n`))
      .toString('utf8')
      .trim()
      .split('\n');
    toHash.forEach((path, i) => {
      byPath.set(path, { path, kind: 'file', oid: oids[i]! });
    });
  }
  return [...byPath.values()];
}
