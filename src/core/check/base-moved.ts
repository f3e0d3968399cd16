/**
 * Whether a push to a pull request's base branch can change the verdict on that pull request
 * (issue 9, section 1: "a check that was green on the old base cannot stay green on a new one").
 *
 * A pull request is judged by its base's policy, connectors and owner directory, against the
 * apps already on the base, and on what merging it onto the base would land. So any change of a
 * governed path on the base (registry/, connectors/, policies/, templates/, schemas/, .github/,
 * and the governance paths given, the gate's own code) can change the verdict, and the open pull
 * requests are judged again. The only governed paths that cannot are the merge job's own output,
 * audit/ and generated/ (no pull request may touch them, so what is there never enters a
 * verdict): a push that changed nothing else is the App's own merge record (the same rule the
 * merge recording uses to recognise it) and judges nothing again. Nor can files the registry
 * does not govern (a README).
 *
 * Pure: it compares two listings (before and after the push) by path and content id, so it does
 * not depend on the push payload's commit lists (capped by GitHub, and missing for force-pushes).
 */
import { AUDIT_ROOT, GENERATED_ROOT, type TreeListing } from '../tree.js';
import { diffTrees } from './diff-trees.js';
import { compareCodeUnits } from '../order.js';

export type BaseMove =
  /** The verdicts may have changed: `paths` are the changed paths (sorted). */
  { rejudge: true; paths: string[]; reason: string } | { rejudge: false; reason: string };

/** What only the merge job writes (the audit log, rendered desired state): never part of a verdict. */
export function isMergeRecordPath(path: string): boolean {
  return path.startsWith(AUDIT_ROOT) || path.startsWith(GENERATED_ROOT);
}

/**
 * `governancePaths`: further paths (a folder ends in "/", anything else is one file) whose
 * changes count: the base policy's governance paths, the gate's own code (core/tree.ts
 * DEFAULT_GOVERNANCE_PATHS when the policy sets none). None by default: only the governed folders.
 */
export function baseMoveOf(before: TreeListing, after: TreeListing, governancePaths: readonly string[] = []): BaseMove {
  const diff = diffTrees(before, after, governancePaths);
  const changed = new Set(diff.all.map((c) => c.path).filter((p) => !isMergeRecordPath(p)));
  const paths = [...changed].sort(compareCodeUnits);
  if (paths.length === 0) {
    return {
      rejudge: false,
      reason:
        diff.all.length === 0
          ? 'the push changed no file the registry governs'
          : 'the push changed only audit/ and generated/ (the merge record)',
    };
  }
  return { rejudge: true, paths, reason: `the push changed ${describePaths(paths)}` };
}

/** "registry/a.yaml", "registry/a.yaml and policies/approval.yaml", "registry/a.yaml, ... and 3 more files". */
export function describePaths(paths: readonly string[], shown = 3): string {
  if (paths.length === 1) return paths[0]!;
  if (paths.length <= shown) return `${paths.slice(0, -1).join(', ')} and ${paths[paths.length - 1]}`;
  const rest = paths.length - shown;
  return `${paths.slice(0, shown).join(', ')} and ${rest} more file${rest === 1 ? '' : 's'}`;
}
