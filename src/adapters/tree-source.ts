import type { FileContents, TreeListing } from '../core/tree.js';

/**
 * Where a tree comes from: a git commit, the working tree, a plain folder (and, in the
 * GitHub App, the Git Data API). The core asks for the listing first and then reads only
 * the files it needs, so the cost of a check follows the size of the change.
 */
export interface TreeSource {
  /** Human-readable name for messages, e.g. "origin/main (3f2c1a0)". */
  readonly label: string;
  /**
   * The governed paths (core/tree.ts GOVERNED_ROOTS, with the folders' bare names) and, when
   * given, the governance paths (the base policy's list of the gate's own code: files, and
   * folders ending in "/"). Nothing else: a file the registry does not govern is never listed.
   */
  listing(governancePaths?: readonly string[]): Promise<TreeListing>;
  /**
   * Where the registry's folder sits in its repository: "" (or absent) at the top, else e.g.
   * "governance/". A governance path marked with a leading "/" (core/tree.ts governanceScope)
   * is listed from the repository's top folder, with the mark, whatever the prefix.
   */
  readonly prefix?: string;
  read(paths: readonly string[]): Promise<FileContents>;
}
