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
import { AUDIT_ROOT, GENERATED_ROOT, isGoverned, type TreeListing } from '../tree.js';

export function governedFingerprint(listing: TreeListing): string {
  const lines = listing.entries
    .filter((e) => isGoverned(e.path) && !e.path.startsWith(AUDIT_ROOT) && !e.path.startsWith(GENERATED_ROOT))
    // JSON per entry: no path, kind or id can forge a separator.
    .map((e) => JSON.stringify([e.path, e.kind, e.oid]))
    .sort();
  return `sha256:${createHash('sha256').update(lines.join('\n'), 'utf8').digest('hex')}`;
}
