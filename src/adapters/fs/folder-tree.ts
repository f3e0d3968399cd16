import type { Dirent } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { readCapped } from './read-capped.js';
import { join } from 'node:path';
import { pathFromBytes, pathFromText } from '../../core/path-names.js';
import type { FileContents, TreeEntry, TreeListing } from '../../core/tree.js';
import { inListingScope, listingKey, listingNames, miscasedRootName } from '../../core/tree.js';
import type { TreeSource } from '../tree-source.js';
import { byPath } from '../../core/order.js';

/** A name as found on disk: text when it decoded cleanly, else its bytes. */
type RawName = string | Buffer;

/**
 * A plain folder, git or not: what `validate` reads. Symbolic links are listed as such and
 * never followed, the governed folders themselves included (a `registry` that is a link to
 * another folder is refused, not read through). A folder holding a name that is not UTF-8 is
 * read again as bytes, so such names are escaped (core/path-names.ts), never decoded lossily.
 */
export class FolderTree implements TreeSource {
  readonly label: string;
  /** By the governance paths asked for (core/tree.ts listingKey). */
  private readonly listings = new Map<string, TreeEntry[]>();
  /** Where on disk each escaped path is, for names that are not plain text. */
  private readonly rawPaths = new Map<string, RawName>();

  constructor(private readonly root: string) {
    this.label = root;
  }

  async listing(governancePaths: readonly string[] = []): Promise<TreeListing> {
    const names = listingNames(governancePaths);
    const key = listingKey(governancePaths);
    let entries = this.listings.get(key);
    if (!entries) {
      const found: TreeEntry[] = [];
      for (const top of names) await this.visit(top, found);
      // "Registry/" next to (or instead of) "registry/" is listed, so it is refused, not ignored.
      const topNames = await readdir(this.root).catch(() => [] as string[]);
      for (const name of topNames) if (miscasedRootName(name) !== undefined) await this.visit(name, found);
      // A governance path inside a governed folder ("policies/") is walked twice: keep one.
      entries = [...new Map(found.map((e) => [e.path, e])).values()].filter((e) => inListingScope(e.path, governancePaths)).sort(byPath);
      this.listings.set(key, entries);
    }
    return { entries };
  }

  /** Lists a governed folder's own name without following a link there, then what is in it. */
  private async visit(top: string, into: TreeEntry[]): Promise<void> {
    const stat = await lstat(join(this.root, top)).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return undefined;
      throw e;
    });
    if (!stat) return;
    if (stat.isSymbolicLink()) into.push({ path: top, kind: 'symlink', oid: `fs:${top}` });
    else if (stat.isDirectory()) await this.walk(top, top, into);
    else if (stat.isFile()) into.push({ path: top, kind: 'file', oid: `fs:${top}` });
  }

  private async walk(relative: string, raw: RawName, into: TreeEntry[]): Promise<void> {
    for (const { dirent, name, rawName } of await this.names(raw)) {
      const path = `${relative}/${name}`;
      const rawPath =
        typeof raw === 'string' && typeof rawName === 'string'
          ? `${raw}/${rawName}`
          : Buffer.concat([Buffer.from(raw), Buffer.from('/'), Buffer.from(rawName)]);
      if (rawPath !== path) this.rawPaths.set(path, rawPath);
      if (dirent.isSymbolicLink()) into.push({ path, kind: 'symlink', oid: `fs:${path}` });
      else if (dirent.isDirectory()) {
        const isSubmodule = await lstat(this.onDisk(rawPath, '/.git')).then(
          () => true,
          () => false,
        );
        if (isSubmodule) into.push({ path, kind: 'submodule', oid: `fs:${path}` });
        else await this.walk(path, rawPath, into);
      } else if (dirent.isFile()) into.push({ path, kind: 'file', oid: `fs:${path}` });
    }
  }

  /** A folder's entries with their escaped names; as bytes only when text would be lossy. */
  private async names(raw: RawName): Promise<Array<{ dirent: Dirent<string | Buffer>; name: string; rawName: RawName }>> {
    const dirents = await readdir(this.onDisk(raw), { withFileTypes: true });
    // Node decodes a name that is not UTF-8 with U+FFFD: read the folder again as bytes.
    if (!dirents.some((d) => d.name.includes('\uFFFD'))) {
      return dirents.map((dirent) => ({ dirent, name: pathFromText(dirent.name), rawName: dirent.name }));
    }
    const exact = await readdir(this.onDisk(raw), { withFileTypes: true, encoding: 'buffer' });
    return exact.map((dirent) => ({ dirent, name: pathFromBytes(dirent.name), rawName: dirent.name }));
  }

  private onDisk(raw: RawName, suffix = ''): string | Buffer {
    return typeof raw === 'string'
      ? join(this.root, raw + suffix)
      : Buffer.concat([Buffer.from(`${this.root}/`), raw, Buffer.from(suffix)]);
  }

  async read(paths: readonly string[]): Promise<FileContents> {
    const out = new Map<string, Uint8Array>();
    for (const p of paths) {
      const raw = this.rawPaths.get(p);
      out.set(p, readCapped(raw === undefined ? join(this.root, p) : this.onDisk(raw)));
    }
    return out;
  }
}
