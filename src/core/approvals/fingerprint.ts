/**
 * The governed fingerprint of a commit: one hash over the governed files of its tree (every
 * path under GOVERNED_ROOTS with its kind and content id). Two commits with the same
 * fingerprint have the same registry, connectors, policies, templates, schemas and workflows,
 * so an approval given on one holds for the other. The App computes it per commit from the tree
 * listing it fetches and passes it in `PullRequestSnapshot.governedFingerprint`.
 *
 * Wider than DESIGN.md section 4's list (it adds schemas/ and .github/), which errs on the safe
 * side. Left out: audit/ and generated/, which only the merge job writes. A pull request that
 * touches them is denied whatever its approvals, so they cannot carry an unapproved change; but
 * every merge adds an audit commit, and counting them would reset the approvals of every open
 * pull request that merges its base branch in after any merge.
 */
import { createHash } from 'node:crypto';
import { AUDIT_ROOT, DEFAULT_GOVERNANCE_PATHS, GENERATED_ROOT, inPathList, isGoverned, type TreeListing } from '../tree.js';

/**
 * `governancePaths` (the base policy's list of the gate's own code) count too: an approval
 * given before a change to the check itself does not cover that change.
 */
export function governedFingerprint(listing: TreeListing, governancePaths: readonly string[] = DEFAULT_GOVERNANCE_PATHS): string {
  const lines = listing.entries
    .filter(
      (e) =>
        (isGoverned(e.path) || inPathList(e.path, governancePaths)) && !e.path.startsWith(AUDIT_ROOT) && !e.path.startsWith(GENERATED_ROOT),
    )
    // JSON per entry: no path, kind or id can forge a separator.
    .map((e) => JSON.stringify([e.path, e.kind, e.oid]))
    .sort();
  return `sha256:${createHash('sha256').update(lines.join('\n'), 'utf8').digest('hex')}`;
}
