/**
 * Decides which files of each tree a check must read. The base tree contributes what judges
 * (policy, directory, connectors); the origin tree (where the change started: the merge base,
 * often the base itself) contributes the previous version of each changed app; the head
 * contributes the changed files and what validates them. Only when a connector changes or
 * goes, or the policy or the owner directory changes, does the whole head registry get
 * re-validated, since any app could be affected.
 */
import { roleOf, type FileRole, type TreeListing } from '../tree.js';
import type { TreeDiff } from './diff-trees.js';

const REVALIDATING: ReadonlySet<FileRole> = new Set(['policy', 'directory']);
const JUDGING_ROLES: ReadonlySet<FileRole> = new Set(['connector', 'policy', 'directory']);
/** The base also says what merging will provision (the preview). */
const BASE_ROLES: ReadonlySet<FileRole> = new Set([...JUDGING_ROLES, 'provisioners']);
const PARSED_ROLES: ReadonlySet<FileRole> = new Set([
  'app',
  'connector',
  'policy',
  'directory',
  'policy-test',
  'app-config',
  'provisioners',
]);

export interface ReadPlan {
  base: string[];
  /** Changed apps as they were in the origin tree (modifications and removals). */
  previous: string[];
  head: string[];
  /** True when every head app is read and cross-checked (a connector or the policy changed). */
  fullHeadValidation: boolean;
}

export function planReads(diff: TreeDiff, base: TreeListing, head: TreeListing, origin: TreeListing = base): ReadPlan {
  // Changing or removing a connector can break apps nobody touched; adding one cannot. So can any
  // change to the policy (its data_classes) or to the owner directory (owners, folders).
  const fullHeadValidation = diff.all.some(
    (c) => (c.change !== 'added' && roleOf(c.path) === 'connector') || REVALIDATING.has(roleOf(c.path)),
  );
  const changedPaths = new Set(diff.all.map((c) => c.path));
  const basePaths = base.entries.filter((e) => e.kind === 'file' && BASE_ROLES.has(roleOf(e.path))).map((e) => e.path);
  const previous = origin.entries
    .filter((e) => e.kind === 'file' && changedPaths.has(e.path) && roleOf(e.path) === 'app')
    .map((e) => e.path);
  const headPaths = head.entries
    .filter((e) => {
      if (e.kind !== 'file') return false;
      const role = roleOf(e.path);
      if (!PARSED_ROLES.has(role)) return false;
      return JUDGING_ROLES.has(role) || changedPaths.has(e.path) || (fullHeadValidation && role === 'app');
    })
    .map((e) => e.path);
  return { base: basePaths, previous, head: headPaths, fullHeadValidation };
}
