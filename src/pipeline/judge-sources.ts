/**
 * Judges a change given three tree sources, wherever they come from (git objects, the working
 * tree, the GitHub API): list them, read what judges from the base, merge the judged paths
 * (base, merge base, head: what merging would land), diff base..merged result, read only what
 * the plan asks for, load, judge. `origin` is where the change started (the merge base), often
 * the base itself; then the merged result is the head.
 */
import type { TreeSource } from '../adapters/tree-source.js';
import { diffTrees } from '../core/check/diff-trees.js';
import { judgeChange } from '../core/check/judge-change.js';
import { mergeListings, type MergedListing } from '../core/check/merge-listings.js';
import { planReads } from '../core/check/plan-reads.js';
import type { CheckReport } from '../core/check/report.js';
import { governancePathsOf } from '../core/policy/governance-paths.js';
import type { FileContents, TreeListing } from '../core/tree.js';
import { governanceScope, inListingScope } from '../core/tree.js';
import { readAndLoad } from './read-registry.js';

export interface JudgedSources {
  report: CheckReport;
  /**
   * The governance paths the base policy set (or the defaults), in the form the listings use
   * (core/tree.ts governanceScope): the governed fingerprint covers them too.
   */
  governancePaths: readonly string[];
}

export async function judgeSources(base: TreeSource, origin: TreeSource, head: TreeSource): Promise<CheckReport> {
  return (await judgeSourcesWithScope(base, origin, head)).report;
}

export async function judgeSourcesWithScope(base: TreeSource, origin: TreeSource, head: TreeSource): Promise<JudgedSources> {
  // What judges comes from the base alone, whatever the change: read it first, since its policy
  // says which paths are the gate's own code (and so which paths are listed at all).
  const governedBase = await base.listing();
  const baseFiles = await readAndLoad(base, planReads(diffTrees(governedBase, governedBase, []), governedBase, governedBase).base);
  // Relative to the repository's top folder: for a registry in a subfolder they are marked as
  // the repository's ("/action/"), so the repository's own action/ is judged, not sub/action/.
  const prefixes = new Set([base, origin, head].map((s) => s.prefix ?? ''));
  if (prefixes.size !== 1)
    throw new Error(`the trees of one check must share one registry folder, not ${[...prefixes].map((p) => `"${p}"`).join(' and ')}`);
  const governancePaths = governanceScope(governancePathsOf(baseFiles), (base.prefix ?? '') !== '');
  // Only the governed paths and the base's governance paths are listed: a file the registry
  // does not govern is neither read nor judged.
  const [baseListing, originListing, headListing] = await Promise.all([base, origin, head].map((s) => s.listing(governancePaths)));
  const merged = mergeListings(baseListing!, originListing!, headListing!, (p) => inListingScope(p, governancePaths));
  const result = new MergedTree(base, head, merged, merged.listing);
  const diff = diffTrees(baseListing!, result.merged, governancePaths);
  const plan = planReads(diff, baseListing!, result.merged);
  const [previous, headFiles] = await Promise.all([readAndLoad(base, plan.previous), readAndLoad(result, plan.head)]);
  const report = judgeChange({
    diff,
    base: { listing: baseListing!, files: baseFiles, label: base.label },
    previous,
    head: { listing: result.merged, files: headFiles, label: head.label },
    fullHeadValidation: plan.fullHeadValidation,
    conflicts: merged.conflicts,
  });
  return { report, governancePaths };
}

/** The merged result as a tree: each path read from the side its version comes from. */
class MergedTree implements TreeSource {
  readonly label: string;
  constructor(
    private readonly base: TreeSource,
    private readonly head: TreeSource,
    private readonly result: MergedListing,
    readonly merged: TreeListing,
  ) {
    this.label = head.label;
  }

  async listing(): Promise<TreeListing> {
    return this.merged;
  }

  async read(paths: readonly string[]): Promise<FileContents> {
    const fromBase = paths.filter((p) => this.result.sideOf.get(p) === 'base');
    const fromHead = paths.filter((p) => this.result.sideOf.get(p) !== 'base');
    const [a, b] = await Promise.all([
      fromBase.length > 0 ? this.base.read(fromBase) : Promise.resolve(new Map<string, Uint8Array>()),
      this.head.read(fromHead),
    ]);
    return new Map([...a, ...b]);
  }
}
