/**
 * Judges a change given three tree sources, wherever they come from (git objects, the working
 * tree, the GitHub API): list them, diff origin..head, read only what the plan asks for, load,
 * judge. `origin` is where the change started (the merge base), often the base itself.
 */
import type { TreeSource } from '../adapters/tree-source.js';
import { diffTrees } from '../core/check/diff-trees.js';
import { judgeChange } from '../core/check/judge-change.js';
import { planReads } from '../core/check/plan-reads.js';
import type { CheckReport } from '../core/check/report.js';
import { readAndLoad } from './read-registry.js';

export async function judgeSources(base: TreeSource, origin: TreeSource, head: TreeSource): Promise<CheckReport> {
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
