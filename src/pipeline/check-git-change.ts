/**
 * Judges the change between two git revisions of a registry (or a revision and the working
 * tree). Like a pull request's "Files changed", the change is measured from the merge base
 * of the two, so a branch that is behind its base is not blamed for what landed on the base
 * meanwhile; the base revision itself (its policy, connectors, directory) does the judging.
 * The CLI and the Action both call this, so they cannot disagree.
 */
import { CommitTree, mergeBase, repositoryPrefix, resolveCommit } from '../adapters/git/commit-tree.js';
import { WorkingTree } from '../adapters/git/working-tree.js';
import type { TreeSource } from '../adapters/tree-source.js';
import type { CheckReport } from '../core/check/report.js';
import { judgeSources } from './judge-sources.js';

/** "main (3f2c1a0)", or just "3f2c1a0" when the ref is the commit id itself. */
function labelOf(ref: string, commit: string): string {
  return ref === commit ? commit.slice(0, 7) : `${ref} (${commit.slice(0, 7)})`;
}

export async function checkGitChange(root: string, baseRef: string, headRef?: string): Promise<CheckReport> {
  const prefix = await repositoryPrefix(root);
  const baseCommit = await resolveCommit(root, baseRef);
  const base = new CommitTree(root, baseCommit, labelOf(baseRef, baseCommit), prefix);
  let head: TreeSource;
  let headCommit: string;
  if (headRef) {
    headCommit = await resolveCommit(root, headRef);
    head = new CommitTree(root, headCommit, labelOf(headRef, headCommit), prefix);
  } else {
    headCommit = await resolveCommit(root, 'HEAD').catch(() => baseCommit);
    head = new WorkingTree(root, prefix);
  }
  const originCommit = (await mergeBase(root, baseCommit, headCommit)) ?? baseCommit;
  const origin = originCommit === baseCommit ? base : new CommitTree(root, originCommit, `merge base ${originCommit.slice(0, 7)}`, prefix);

  return judgeSources(base, origin, head);
}
