import { describe, expect, it } from 'vitest';
import { diffTrees } from '../../../src/core/check/diff-trees.js';
import { mergeListings } from '../../../src/core/check/merge-listings.js';
import { isGoverned, type TreeEntry, type TreeListing } from '../../../src/core/tree.js';

const entry = (path: string, oid: string, kind: TreeEntry['kind'] = 'file'): TreeEntry => ({ path, oid, kind });
const listing = (...entries: TreeEntry[]): TreeListing => ({ entries });
const merge = (base: TreeListing, origin: TreeListing, head: TreeListing) => mergeListings(base, origin, head, isGoverned);
const oids = (l: TreeListing) => Object.fromEntries(l.entries.map((e) => [e.path, e.oid]));

const APP = 'registry/a/app.yaml';

describe('mergeListings: what merging lands, path by path', () => {
  it("unchanged on the branch: the base's version (a change that landed on main is not the branch's)", () => {
    const m = merge(listing(entry(APP, 'main')), listing(entry(APP, 'old')), listing(entry(APP, 'old')));
    expect(oids(m.listing)).toEqual({ [APP]: 'main' });
    expect(m.sideOf.get(APP)).toBe('base');
    expect(m.conflicts).toEqual([]);
    // ...so base -> merged has no change at all.
    expect(diffTrees(listing(entry(APP, 'main')), m.listing).all).toEqual([]);
  });

  it("unchanged on the base: the branch's version, its addition and its removal", () => {
    const origin = listing(entry(APP, 'old'), entry('registry/a/gone.yaml', 'g'));
    const m = merge(origin, origin, listing(entry(APP, 'new'), entry('registry/a/added.yaml', 'n')));
    expect(oids(m.listing)).toEqual({ [APP]: 'new', 'registry/a/added.yaml': 'n' });
    expect(m.sideOf.get(APP)).toBe('head');
  });

  it('the same change on both sides is taken once, not a conflict', () => {
    const m = merge(listing(entry(APP, 'same')), listing(entry(APP, 'old')), listing(entry(APP, 'same')));
    expect(oids(m.listing)).toEqual({ [APP]: 'same' });
    expect(m.conflicts).toEqual([]);
  });

  it('a removal on the base and none on the branch stays removed; the same removal on both too', () => {
    expect(merge(listing(), listing(entry(APP, 'old')), listing(entry(APP, 'old'))).listing.entries).toEqual([]);
    expect(merge(listing(), listing(entry(APP, 'old')), listing()).conflicts).toEqual([]);
  });

  it('changed differently on both sides is a conflict: modify/modify, modify/remove, remove/modify, add/add', () => {
    const cases: Array<[TreeListing, TreeListing, TreeListing]> = [
      [listing(entry(APP, 'main')), listing(entry(APP, 'old')), listing(entry(APP, 'branch'))],
      [listing(entry(APP, 'main')), listing(entry(APP, 'old')), listing()],
      [listing(), listing(entry(APP, 'old')), listing(entry(APP, 'branch'))],
      [listing(entry(APP, 'main')), listing(), listing(entry(APP, 'branch'))],
    ];
    for (const [base, origin, head] of cases) expect(merge(base, origin, head).conflicts).toEqual([APP]);
  });

  it('a change of kind (file to symlink, same id) is a change', () => {
    const m = merge(listing(entry(APP, 'x', 'symlink')), listing(entry(APP, 'x')), listing(entry(APP, 'y')));
    expect(m.conflicts).toEqual([APP]);
  });

  it("paths that are not judged are the head's as they are, never conflicts", () => {
    const m = merge(listing(entry('README.md', 'main')), listing(entry('README.md', 'old')), listing(entry('README.md', 'branch')));
    expect(m.conflicts).toEqual([]);
    expect(oids(m.listing)).toEqual({ 'README.md': 'branch' });
  });
});
