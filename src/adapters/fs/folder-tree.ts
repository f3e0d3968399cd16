import { lstat, readdir } from 'node:fs/promises';
import { readCapped } from './read-capped.js';
import { join } from 'node:path';
import type { FileContents, TreeEntry, TreeListing } from '../../core/tree.js';
import { GOVERNED_ROOTS } from '../../core/tree.js';
import type { TreeSource } from '../tree-source.js';

/**
 * A plain folder, git or not: what `validate` reads. Symbolic links are listed as such and
 * never followed.
 */
export class FolderTree implements TreeSource {
  readonly label: string;
  private entries?: TreeEntry[];

  constructor(private readonly root: string) {
    this.label = root;
  }

  async listing(): Promise<TreeListing> {
    if (!this.entries) {
      const entries: TreeEntry[] = [];
      for (const top of GOVERNED_ROOTS) await this.walk(top.slice(0, -1), entries);
      entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      this.entries = entries;
    }
    return { entries: this.entries };
  }

  private async walk(relative: string, into: TreeEntry[]): Promise<void> {
    const dirents = await readdir(join(this.root, relative), { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return [];
      throw e;
    });
    for (const d of dirents) {
      const path = `${relative}/${d.name}`;
      if (d.isSymbolicLink()) into.push({ path, kind: 'symlink', oid: `fs:${path}` });
      else if (d.isDirectory()) {
        const isSubmodule = await lstat(join(this.root, path, '.git')).then(() => true, () => false);
        if (isSubmodule) into.push({ path, kind: 'submodule', oid: `fs:${path}` });
        else await this.walk(path, into);
      } else if (d.isFile()) into.push({ path, kind: 'file', oid: `fs:${path}` });
    }
  }

  async read(paths: readonly string[]): Promise<FileContents> {
    const out = new Map<string, Uint8Array>();
    for (const p of paths) out.set(p, readCapped(join(this.root, p)));
    return out;
  }
}
