import { createHash } from 'node:crypto';
import { lstat, readFile } from 'node:fs/promises';
import { readCapped } from '../fs/read-capped.js';
import { join } from 'node:path';
import { pathNameProblem } from '../../core/path-names.js';
import type { FileContents, TreeEntry, TreeListing } from '../../core/tree.js';
import { GOVERNED_ROOT_NAMES, listingNames } from '../../core/tree.js';
import type { TreeSource } from '../tree-source.js';
import { KINDS, zRecords } from './commit-tree.js';
import { git } from './run-git.js';


/**
 * The working tree as it is now, including untracked (not ignored) files, listed with git
 * blob ids so it compares with a commit exactly as git would. Only files that differ from
 * the index are hashed, so the cost follows the size of the change.
 */
export class WorkingTree implements TreeSource {
  readonly label = 'the working tree';
  /** By the names listed (see listingNames). */
  private readonly listings = new Map<string, TreeEntry[]>();

  constructor(private readonly root: string) {}

  async listing(governancePaths: readonly string[] = []): Promise<TreeListing> {
    const key = listingNames(governancePaths).join('\0');
    const listed = this.listings.get(key);
    if (listed) return { entries: listed };
    // The bare names also list a symlink or file standing where a governed folder should be;
    // case-insensitive, so that a "Registry/" folder is listed (and refused), not ignored. The
    // governance paths are names, never patterns.
    const extra = listingNames(governancePaths).filter((name) => !GOVERNED_ROOT_NAMES.includes(name));
    const pathspecs = ['--', ...GOVERNED_ROOT_NAMES.map((name) => `:(icase)${name}`), ...extra.map((name) => `:(literal)${name}`)];
    const [staged, untracked, changed] = await Promise.all([
      git(this.root, ['ls-files', '-s', '-z', ...pathspecs]),
      git(this.root, ['ls-files', '-o', '--exclude-standard', '-z', ...pathspecs]),
      git(this.root, ['diff-files', '--name-only', '-z', '--relative', ...pathspecs]),
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
      const onDisk = Buffer.concat([Buffer.from(`${this.root}/`), typeof raw === 'string' ? Buffer.from(raw) : raw]);
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
      const oids = (await git(this.root, ['hash-object', '--no-filters', '--stdin-paths'], `${toHash.join('\n')}\n`))
        .toString('utf8').trim().split('\n');
      toHash.forEach((path, i) => byPath.set(path, { path, kind: 'file', oid: oids[i]! }));
    }
    // The pathspecs are the scope: nothing else was listed.
    const entries = [...byPath.values()]
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    this.listings.set(key, entries);
    return { entries };
  }

  async read(paths: readonly string[]): Promise<FileContents> {
    const out = new Map<string, Uint8Array>();
    for (const p of paths) out.set(p, readCapped(join(this.root, p)));
    return out;
  }
}
