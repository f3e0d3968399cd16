/**
 * What merging a branch lands, for the paths the gate judges: a three-way merge of tree
 * listings by content id per path (base = the branch merged into, now; mergeBase = where the
 * branch started; head = the branch). A check then judges base -> merged result, so a branch
 * made before an app changed on the base (say, promoted to production) is judged against what
 * the app is now, and a branch that is merely behind is not blamed for what landed on the base.
 *
 *   unchanged on one side   -> take the other side's version (or its removal)
 *   same change on both     -> take it
 *   changed differently     -> a conflict: the head's version stands in, and the check fails closed
 *
 * Paths outside `judged` are taken from the head as they are: they are not judged.
 */
import type { TreeEntry, TreeListing } from '../tree.js';
import { byPath as pathOrder } from '../order.js';

export type Side = 'base' | 'head';

export interface MergedListing {
  listing: TreeListing;
  /** Where each path of the merged listing comes from (read its content there). */
  sideOf: ReadonlyMap<string, Side>;
  /** Judged paths that both sides changed, differently, sorted. */
  conflicts: string[];
}

export function mergeListings(
  base: TreeListing,
  mergeBase: TreeListing,
  head: TreeListing,
  judged: (path: string) => boolean,
): MergedListing {
  const byPath = (l: TreeListing) => new Map(l.entries.map((e) => [e.path, e]));
  const b = byPath(base);
  const o = byPath(mergeBase);
  const h = byPath(head);
  const entries: TreeEntry[] = [];
  const sideOf = new Map<string, Side>();
  const conflicts: string[] = [];
  const take = (entry: TreeEntry | undefined, side: Side) => {
    if (!entry) return;
    entries.push(entry);
    sideOf.set(entry.path, side);
  };
  for (const path of new Set([...b.keys(), ...o.keys(), ...h.keys()])) {
    const [atBase, atOrigin, atHead] = [b.get(path), o.get(path), h.get(path)];
    if (!judged(path)) {
      take(atHead, 'head');
      continue;
    }
    if (same(atOrigin, atHead))
      take(atBase, 'base'); // the branch left it alone
    else if (same(atOrigin, atBase) || same(atBase, atHead))
      take(atHead, 'head'); // only the branch changed it, or both alike
    else {
      conflicts.push(path);
      take(atHead, 'head');
    }
  }
  entries.sort(pathOrder);
  conflicts.sort();
  return { listing: { entries }, sideOf, conflicts };
}

/** Same content and kind, or absent on both. */
function same(x: TreeEntry | undefined, y: TreeEntry | undefined): boolean {
  if (!x || !y) return x === y;
  return x.kind === y.kind && x.oid === y.oid;
}
