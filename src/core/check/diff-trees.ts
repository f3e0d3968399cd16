/**
 * Compares the base and head listings by content id. A moved file is a removal plus an
 * addition (DESIGN.md invariant 6): a rename is never a way to skip a check.
 */
import type { ChangeKind } from '../model.js';
import {
  AUDIT_ROOT,
  DEFAULT_GOVERNANCE_PATHS,
  GENERATED_ROOT,
  inPathList,
  isGoverned,
  isGovernance,
  roleOf,
  type TreeListing,
} from '../tree.js';
import { byPath } from '../order.js';

export interface PathChange {
  path: string;
  change: ChangeKind;
}

export interface TreeDiff {
  /** Changed app manifests under registry/. */
  apps: PathChange[];
  /** Changed files under the governance folders (policies/, connectors/, templates/, ...) and the governance paths (the gate's own code). */
  governance: PathChange[];
  /** Changed files under audit/, which no pull request may touch. */
  audit: PathChange[];
  /** Changed files under generated/ (rendered desired state), which no pull request may touch either. */
  generated: PathChange[];
  /** Every changed governed path, whatever its role. */
  all: PathChange[];
}

/**
 * `governancePaths`: the gate's own code (the base policy's `governance_paths:`, see
 * DEFAULT_GOVERNANCE_PATHS): judged like the governance folders, though not otherwise governed.
 */
export function diffTrees(base: TreeListing, head: TreeListing, governancePaths: readonly string[] = DEFAULT_GOVERNANCE_PATHS): TreeDiff {
  const judged = (path: string) => isGoverned(path) || inPathList(path, governancePaths);
  const baseOids = new Map(base.entries.map((e) => [e.path, `${e.kind}:${e.oid}`]));
  const headOids = new Map(head.entries.map((e) => [e.path, `${e.kind}:${e.oid}`]));
  const all: PathChange[] = [];
  for (const [path, oid] of headOids) {
    if (!judged(path)) continue;
    const before = baseOids.get(path);
    if (before === undefined) all.push({ path, change: 'added' });
    else if (before !== oid) all.push({ path, change: 'modified' });
  }
  for (const path of baseOids.keys()) {
    if (judged(path) && !headOids.has(path)) all.push({ path, change: 'removed' });
  }
  all.sort(byPath);
  return {
    apps: all.filter((c) => roleOf(c.path) === 'app'),
    governance: all.filter((c) => isGovernance(c.path) || inPathList(c.path, governancePaths)),
    audit: all.filter((c) => c.path.startsWith(AUDIT_ROOT)),
    generated: all.filter((c) => c.path.startsWith(GENERATED_ROOT)),
    all,
  };
}
