/**
 * The governed fingerprint of a commit: one hash over the governed files of its tree (every
 * path under GOVERNED_ROOTS with its kind and content id). Two commits with the same
 * fingerprint have the same registry, connectors, policies, templates, schemas, workflows and
 * audit log, so an approval given on one holds for the other. The App computes it per commit
 * from the tree listing it fetches and passes it in `PullRequestSnapshot.governedFingerprint`.
 *
 * GOVERNED_ROOTS is wider than DESIGN.md section 4's list (it adds schemas/, .github/ and
 * audit/): any change there also invalidates approvals, which errs on the safe side.
 */
import { createHash } from 'node:crypto';
import { isGoverned, type TreeListing } from '../tree.js';

export function governedFingerprint(listing: TreeListing): string {
  const lines = listing.entries
    .filter((e) => isGoverned(e.path))
    // JSON per entry: no path, kind or id can forge a separator.
    .map((e) => JSON.stringify([e.path, e.kind, e.oid]))
    .sort();
  return `sha256:${createHash('sha256').update(lines.join('\n'), 'utf8').digest('hex')}`;
}
