import { describe, expect, it } from 'vitest';
import { diffTrees } from '../../../src/core/check/diff-trees.js';
import { planReads } from '../../../src/core/check/plan-reads.js';
import { checkListing } from '../../../src/core/registry/check-listing.js';
import { mergeListings } from '../../../src/core/check/merge-listings.js';
import { DEFAULT_GOVERNANCE_PATHS, governanceScope, inListingScope, roleOf, type TreeEntry } from '../../../src/core/tree.js';

const entry = (path: string, oid: string, kind: TreeEntry['kind'] = 'file'): TreeEntry => ({ path, oid, kind });
const listing = (...entries: TreeEntry[]) => ({ entries });

describe('diffTrees', () => {
  const base = listing(
    entry('README.md', 'r1'),
    entry('connectors/jira.yaml', 'c1'),
    entry('policies/approval.yaml', 'p1'),
    entry('registry/a/one.yaml', 'a1'),
    entry('registry/a/two.yaml', 'a2'),
    entry('docs/x.md', 's1'),
  );

  it('sees additions, modifications and removals of apps, and ignores ungoverned files', () => {
    const head = listing(
      entry('README.md', 'r2'),
      entry('connectors/jira.yaml', 'c1'),
      entry('policies/approval.yaml', 'p1'),
      entry('registry/a/one.yaml', 'a1-changed'),
      entry('registry/a/three.yaml', 'a3'),
      entry('docs/x.md', 's2'),
    );
    const diff = diffTrees(base, head);
    expect(diff.apps).toEqual([
      { path: 'registry/a/one.yaml', change: 'modified' },
      { path: 'registry/a/three.yaml', change: 'added' },
      { path: 'registry/a/two.yaml', change: 'removed' },
    ]);
    expect(diff.governance).toEqual([]);
  });

  it('judges a moved manifest as a removal plus an addition', () => {
    const head = listing(...base.entries.filter((e) => e.path !== 'registry/a/two.yaml'), entry('registry/b/two.yaml', 'a2'));
    expect(diffTrees(base, head).apps).toEqual([
      { path: 'registry/a/two.yaml', change: 'removed' },
      { path: 'registry/b/two.yaml', change: 'added' },
    ]);
  });

  it('lists policy and connector changes as governance changes, and audit changes apart', () => {
    const head = listing(
      ...base.entries.map((e) => (e.path === 'policies/approval.yaml' ? entry(e.path, 'p2') : e)),
      entry('.github/workflows/x.yml', 'w1'),
      entry('audit/log.jsonl', 'l1'),
    );
    const diff = diffTrees(base, head);
    expect(diff.governance.map((g) => g.path)).toEqual(['.github/workflows/x.yml', 'policies/approval.yaml']);
    expect(diff.audit).toEqual([{ path: 'audit/log.jsonl', change: 'added' }]);
  });

  it('sees a file that became a symlink with the same content as changed', () => {
    const head = listing(...base.entries.map((e) => (e.path === 'registry/a/one.yaml' ? entry(e.path, 'a1', 'symlink') : e)));
    expect(diffTrees(base, head).apps).toEqual([{ path: 'registry/a/one.yaml', change: 'modified' }]);
  });
});

describe('planReads', () => {
  const base = listing(
    entry('connectors/jira.yaml', 'c1'),
    entry('policies/approval.yaml', 'p1'),
    entry('policies/owners.yaml', 'o1'),
    ...Array.from({ length: 100 }, (_, i) => entry(`registry/t/app-${i}.yaml`, `a${i}`)),
  );

  it('reads the judging files and only the changed apps', () => {
    const head = listing(...base.entries.map((e) => (e.path === 'registry/t/app-7.yaml' ? entry(e.path, 'new') : e)));
    const plan = planReads(diffTrees(base, head), base, head);
    expect(plan.base).toEqual(['connectors/jira.yaml', 'policies/approval.yaml', 'policies/owners.yaml']);
    expect(plan.previous).toEqual(['registry/t/app-7.yaml']);
    expect(plan.head).toEqual(['connectors/jira.yaml', 'policies/approval.yaml', 'policies/owners.yaml', 'registry/t/app-7.yaml']);
    expect(plan.fullHeadValidation).toBe(false);
  });

  it('re-validates every app when the policy or the owner directory changes (kinds of data, owners, folders)', () => {
    for (const path of ['policies/approval.yaml', 'policies/owners.yaml']) {
      const head = listing(...base.entries.map((e) => (e.path === path ? entry(e.path, 'x2') : e)));
      expect(planReads(diffTrees(base, head), base, head).fullHeadValidation, path).toBe(true);
    }
  });

  it('re-validates every app when a connector changes', () => {
    const head = listing(...base.entries.map((e) => (e.path === 'connectors/jira.yaml' ? entry(e.path, 'c2') : e)));
    const plan = planReads(diffTrees(base, head), base, head);
    expect(plan.fullHeadValidation).toBe(true);
    expect(plan.head).toHaveLength(103);
  });
});

describe('checkListing', () => {
  it('refuses symlinks and submodules under governed folders only', () => {
    const r = checkListing([
      entry('registry/a/x.yaml', '1', 'symlink'),
      entry('connectors/sub', '2', 'submodule'),
      entry('docs/link', '3', 'symlink'),
    ]);
    expect(r.findings.map((f) => [f.path, f.code])).toEqual([
      ['registry/a/x.yaml', 'tree.symlink'],
      ['connectors/sub', 'tree.submodule'],
    ]);
  });

  it('finds duplicate app names across folders from paths alone', () => {
    const r = checkListing([entry('registry/a/x.yaml', '1'), entry('registry/b/x.json', '2'), entry('registry/b/y.json', '3')]);
    expect([...r.duplicateApps.keys()]).toEqual(['registry/a/x.yaml', 'registry/b/x.json']);
  });

  it('refuses stray files in registry/ but allows Markdown notes', () => {
    const r = checkListing([entry('registry/a/notes.md', '1'), entry('registry/a/app.txt', '2')]);
    expect(r.findings.map((f) => f.path)).toEqual(['registry/a/app.txt']);
  });
});

describe("diffTrees: the governance paths (the gate's own code)", () => {
  const before = listing(
    entry('action/dist/index.js', 'a1'),
    entry('package.json', 'p1'),
    entry('docs/x.md', 'd1'),
    entry('tools/run.sh', 't1'),
  );

  it('by default a change to action/, src/, bin/, scripts/, package.json or package-lock.json is a governance change', () => {
    const after = listing(
      entry('action/dist/index.js', 'a2'),
      entry('package.json', 'p2'),
      entry('package-lock.json', 'l1'),
      entry('src/x.ts', 's1'),
      entry('bin/m.js', 'b1'),
      entry('scripts/s.mjs', 'c1'),
      entry('docs/x.md', 'd2'),
      entry('tools/run.sh', 't2'),
    );
    expect(diffTrees(before, after).governance.map((c) => c.path)).toEqual([
      'action/dist/index.js',
      'bin/m.js',
      'package-lock.json',
      'package.json',
      'scripts/s.mjs',
      'src/x.ts',
    ]);
  });

  it('a list given replaces the defaults: files match exactly, folders (ending in "/") by prefix', () => {
    const after = listing(
      entry('action/dist/index.js', 'a2'),
      entry('package.json', 'p2'),
      entry('docs/x.md', 'd1'),
      entry('tools/run.sh', 't2'),
    );
    expect(diffTrees(before, after, ['tools/', 'package.json']).governance.map((c) => c.path)).toEqual(['package.json', 'tools/run.sh']);
    // "package" is not "package.json", "tool" is not "tools/".
    expect(diffTrees(before, after, ['package', 'tool']).governance).toEqual([]);
  });
});

describe("diffTrees with the governance paths of a registry in a subfolder (marked as the repository's)", () => {
  const scope = governanceScope(DEFAULT_GOVERNANCE_PATHS, true);
  const base = listing(
    entry('/action/x.js', 'x1'),
    entry('/package.json', 'p1'),
    entry('policies/approval.yaml', 'a1'),
    entry('/registry/look-alike.yaml', 'l1'),
  );

  it("judges the repository's action/, package.json and .github/ (and a link in place of action/) as governance", () => {
    const head = listing(
      entry('/action', 'link', 'symlink'),
      entry('/package.json', 'p2'),
      entry('/.github/workflows/check.yml', 'w1'),
      entry('policies/approval.yaml', 'a1'),
      entry('/registry/look-alike.yaml', 'l1'),
    );
    const diff = diffTrees(base, head, scope);
    expect(diff.governance).toEqual([
      { path: '/.github/workflows/check.yml', change: 'added' },
      { path: '/action', change: 'added' },
      { path: '/action/x.js', change: 'removed' },
      { path: '/package.json', change: 'modified' },
    ]);
    expect(diff.apps).toEqual([]);
  });

  it("a registry path of the same name is not the gate's code, and a marked path is never an app or read as one", () => {
    const head = listing(...base.entries, entry('action/x.js', 'x9'), entry('package.json', 'p9'), entry('/registry/it/new.yaml', 'n1'));
    const diff = diffTrees(base, head, scope);
    expect(diff.all).toEqual([]);
    expect(roleOf('/registry/it/new.yaml')).toBe('ungoverned');
    const withRegistryLookAlike = [...scope, '/registry/'];
    const added = listing(...base.entries, entry('/registry/it/new.yaml', 'n1'));
    const changes = diffTrees(base, added, withRegistryLookAlike);
    expect(changes.governance).toEqual([{ path: '/registry/it/new.yaml', change: 'added' }]);
    expect(changes.apps).toEqual([]);
    expect(planReads(changes, base, added).head).not.toContain('/registry/it/new.yaml');
  });

  it('the three-way merge treats marked paths like any other: a change on both sides, differently, is a conflict', () => {
    const judged = (p: string) => inListingScope(p, scope);
    const merged = mergeListings(
      listing(entry('/package.json', 'main')),
      listing(entry('/package.json', 'old')),
      listing(entry('/package.json', 'branch'), entry('action/x.js', 'x')),
      judged,
    );
    expect(merged.conflicts).toEqual(['/package.json']);
  });
});
