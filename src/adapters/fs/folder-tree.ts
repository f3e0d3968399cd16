import { lstat, readdir } from 'node:fs/promises';
import { readCapped } from './read-capped.js';
import { join } from 'node:path';
import { pathFromBytes } from '../../core/path-names.js';
import type { FileContents, TreeEntry, TreeListing } from '../../core/tree.js';
import { GOVERNED_ROOT_NAMES } from '../../core/tree.js';
import type { TreeSource } from '../tree-source.js';

const SLASH = Buffer.from('/');
const DOT_GIT = Buffer.from('/.git');

/**
 * A plain folder, git or not: what `validate` reads. Symbolic links are listed as such and
 * never followed, the governed folders themselves included (a `registry` that is a link to
 * another folder is refused, not read through). Names are read as bytes and escaped where
 * they are not plain text (core/path-names.ts).
 */
export class FolderTree implements TreeSource {
  readonly label: string;
  private entries?: TreeEntry[];
  /** Each listed path's raw bytes under the root: a name that is not UTF-8 is still found. */
  private readonly rawPaths = new Map<string, Buffer>();

  private readonly rootBytes: Buffer;

  constructor(private readonly root: string) {
    this.label = root;
    this.rootBytes = Buffer.from(`${root}/`);
  }

  async listing(): Promise<TreeListing> {
    if (!this.entries) {
      const entries: TreeEntry[] = [];
      for (const top of GOVERNED_ROOT_NAMES) await this.visit(Buffer.from(top), entries);
      entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      this.entries = entries;
    }
    return { entries: this.entries };
  }

  /** Lists a governed folder's own name without following a link there, then what is in it. */
  private async visit(raw: Buffer, into: TreeEntry[]): Promise<void> {
    const full = this.full(raw);
    const stat = await lstat(full).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return undefined;
      throw e;
    });
    if (!stat) return;
    const path = this.named(raw);
    if (stat.isSymbolicLink()) into.push({ path, kind: 'symlink', oid: `fs:${path}` });
    else if (stat.isDirectory()) await this.walk(raw, into);
    else if (stat.isFile()) into.push({ path, kind: 'file', oid: `fs:${path}` });
  }

  private async walk(relative: Buffer, into: TreeEntry[]): Promise<void> {
    const dirents = await readdir(this.full(relative), { withFileTypes: true, encoding: 'buffer' });
    for (const d of dirents) {
      const raw = Buffer.concat([relative, SLASH, d.name]);
      const path = this.named(raw);
      if (d.isSymbolicLink()) into.push({ path, kind: 'symlink', oid: `fs:${path}` });
      else if (d.isDirectory()) {
        const isSubmodule = await lstat(Buffer.concat([this.full(raw), DOT_GIT])).then(() => true, () => false);
        if (isSubmodule) into.push({ path, kind: 'submodule', oid: `fs:${path}` });
        else await this.walk(raw, into);
      } else if (d.isFile()) into.push({ path, kind: 'file', oid: `fs:${path}` });
    }
  }

  private full(raw: Buffer): Buffer {
    return Buffer.concat([this.rootBytes, raw]);
  }

  /** The escaped path of raw name bytes, remembering where the file is. */
  private named(raw: Buffer): string {
    const path = pathFromBytes(raw);
    this.rawPaths.set(path, this.full(raw));
    return path;
  }

  async read(paths: readonly string[]): Promise<FileContents> {
    const out = new Map<string, Uint8Array>();
    for (const p of paths) out.set(p, readCapped(this.rawPaths.get(p) ?? join(this.root, p)));
    return out;
  }
}
