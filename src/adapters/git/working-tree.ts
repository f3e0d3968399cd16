import { lstat } from 'node:fs/promises';
import { readCapped } from '../fs/read-capped.js';
import { join } from 'node:path';
import type { FileContents, TreeEntry, TreeListing } from '../../core/tree.js';
import { GOVERNED_ROOTS } from '../../core/tree.js';
import type { TreeSource } from '../tree-source.js';
import { KINDS } from './commit-tree.js';
import { git } from './run-git.js';


/**
 * The working tree as it is now, including untracked (not ignored) files, listed with git
 * blob ids so it compares with a commit exactly as git would. Only files that differ from
 * the index are hashed, so the cost follows the size of the change.
 */
export class WorkingTree implements TreeSource {
  readonly label = 'the working tree';
  private entries?: TreeEntry[];

  constructor(private readonly root: string) {}

  async listing(): Promise<TreeListing> {
    if (this.entries) return { entries: this.entries };
    const pathspecs = ['--', ...GOVERNED_ROOTS];
    const [staged, untracked, changed] = await Promise.all([
      git(this.root, ['ls-files', '-s', '-z', ...pathspecs]),
      git(this.root, ['ls-files', '-o', '--exclude-standard', '-z', ...pathspecs]),
      git(this.root, ['diff-files', '--name-only', '-z', '--relative', ...pathspecs]),
    ]);
    const byPath = new Map<string, TreeEntry>();
    for (const record of staged.toString('utf8').split('\0')) {
      if (!record) continue;
      // "<mode> <oid> <stage>\t<path>"; a conflicted file has several stages: the last one wins.
      const tab = record.indexOf('\t');
      const [mode, oid] = record.slice(0, tab).split(' ');
      const kind = KINDS[mode ?? ''];
      if (kind && oid) byPath.set(record.slice(tab + 1), { path: record.slice(tab + 1), kind, oid });
    }
    const toHash: string[] = [];
    for (const path of [...split(changed), ...split(untracked)]) {
      const stat = await lstat(join(this.root, path)).catch(() => undefined);
      if (!stat) {
        byPath.delete(path); // deleted in the working tree
      } else if (stat.isSymbolicLink()) {
        byPath.set(path, { path, kind: 'symlink', oid: `symlink:${path}` });
      } else if (stat.isDirectory()) {
        byPath.set(path, { path, kind: 'submodule', oid: `submodule:${path}` });
      } else {
        toHash.push(path);
      }
    }
    if (toHash.length > 0) {
      const oids = (await git(this.root, ['hash-object', '--no-filters', '--stdin-paths'], `${toHash.join('\n')}\n`))
        .toString('utf8').trim().split('\n');
      toHash.forEach((path, i) => byPath.set(path, { path, kind: 'file', oid: oids[i]! }));
    }
    this.entries = [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { entries: this.entries };
  }

  async read(paths: readonly string[]): Promise<FileContents> {
    const out = new Map<string, Uint8Array>();
    for (const p of paths) out.set(p, readCapped(join(this.root, p)));
    return out;
  }
}

function split(out: Buffer): string[] {
  return out.toString('utf8').split('\0').filter(Boolean);
}
