/**
 * Brings a tree's files into the core: lists it, reads the files a step needs, and loads
 * them (parse + schema).
 */
import type { TreeSource } from '../adapters/tree-source.js';
import type { LoadedFile } from '../core/registry/load-file.js';
import { roleOf, type TreeListing } from '../core/tree.js';
import { loadFiles } from './load-files.js';

const LOADABLE = new Set(['app', 'connector', 'policy', 'directory', 'policy-test', 'app-config', 'provisioners']);

/** Every file of the listing that the core parses (manifests, policy, directory, tests). */
export function loadablePaths(listing: TreeListing): string[] {
  return listing.entries.filter((e) => e.kind === 'file' && LOADABLE.has(roleOf(e.path))).map((e) => e.path);
}

export async function readAndLoad(source: TreeSource, paths: readonly string[]): Promise<LoadedFile[]> {
  return loadFiles(await source.read(paths));
}

/** The text of one file of a tree; undefined when the tree has no such file. */
export async function readText(source: TreeSource, path: string): Promise<string | undefined> {
  const bytes = (await source.read([path])).get(path);
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
}
