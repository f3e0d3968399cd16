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
import { diffTrees } from '../core/check/diff-trees.js';
import { judgeChange } from '../core/check/judge-change.js';
import { planReads } from '../core/check/plan-reads.js';
import type { CheckReport } from '../core/check/report.js';
import { readAndLoad } from './read-registry.js';

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
    head = new WorkingTree(root);
  }
  const originCommit = (await mergeBase(root, baseCommit, headCommit)) ?? baseCommit;
  const origin = originCommit === baseCommit ? base : new CommitTree(root, originCommit, `merge base ${originCommit.slice(0, 7)}`, prefix);

  const [baseListing, originListing, headListing] = await Promise.all([base.listing(), origin.listing(), head.listing()]);
  const diff = diffTrees(originListing, headListing);
  const plan = planReads(diff, baseListing, headListing, originListing);
  // When the change starts at the base (the usual case) one read serves both.
  const [baseAndPrevious, previousElsewhere, headFiles] = await Promise.all([
    readAndLoad(base, origin === base ? [...plan.base, ...plan.previous] : plan.base),
    origin === base ? Promise.resolve([]) : readAndLoad(origin, plan.previous),
    readAndLoad(head, plan.head),
  ]);
  const previousPaths = new Set(plan.previous);
  const baseFiles = origin === base ? baseAndPrevious.filter((f) => !previousPaths.has(f.path)) : baseAndPrevious;
  const previous = origin === base ? baseAndPrevious.filter((f) => previousPaths.has(f.path)) : previousElsewhere;
  return judgeChange({
    diff,
    base: { listing: baseListing, files: baseFiles, label: base.label },
    previous,
    head: { listing: headListing, files: headFiles, label: head.label },
    fullHeadValidation: plan.fullHeadValidation,
  });
}
