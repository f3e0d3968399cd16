import { describe, expect, it } from 'vitest';
import { evaluateApprovals } from '../../../src/core/approvals/evaluate.js';
import { governedFingerprint } from '../../../src/core/approvals/fingerprint.js';
import { reviewFreshness } from '../../../src/core/approvals/freshness.js';
import { WHY } from '../../../src/core/approvals/words.js';
import type { TreeEntry } from '../../../src/core/tree.js';
import { approve, EARLIER, HEAD, manager, OLDER, snapshot } from './helpers.js';

describe('approvals hold only for the current governed content', () => {
  it('counts a review of the head commit', () => {
    expect(evaluateApprovals([manager()], snapshot({ reviews: [approve('mona', 1, { commitId: HEAD })] })).satisfied).toBe(true);
  });

  it('keeps an approval given before a push that left the governed files unchanged', () => {
    expect(evaluateApprovals([manager()], snapshot({ reviews: [approve('mona', 1, { commitId: EARLIER })] })).satisfied).toBe(true);
  });

  it('drops an approval given before a push that changed a manifest, and says why', () => {
    const stale = approve('mona', 1, { commitId: OLDER });
    const status = evaluateApprovals([manager()], snapshot({ reviews: [stale] }));
    expect(status.satisfied).toBe(false);
    expect(status.ignored).toEqual([{ login: 'mona', reviewId: stale.id, why: WHY.stale }]);
    expect(WHY.stale).toBe('approved an earlier version of the manifests; the registry files changed since');
  });

  it('fails closed when a fingerprint is unknown', () => {
    const r = approve('mona', 1, { commitId: 'f'.repeat(40) });
    const missing = evaluateApprovals([manager()], snapshot({ reviews: [r] }));
    expect(missing.satisfied).toBe(false);
    expect(missing.ignored).toEqual([{ login: 'mona', reviewId: r.id, why: WHY.unknownFingerprint }]);

    const undef = snapshot({
      reviews: [approve('mona', 1, { commitId: EARLIER })],
      governedFingerprint: { [HEAD]: 'x', [EARLIER]: undefined },
    });
    expect(evaluateApprovals([manager()], undef).satisfied).toBe(false);

    const headUnknown = snapshot({ reviews: [approve('mona', 1, { commitId: EARLIER })], governedFingerprint: { [EARLIER]: 'x' } });
    expect(evaluateApprovals([manager()], headUnknown).satisfied).toBe(false);

    const bothEmpty = snapshot({
      reviews: [approve('mona', 1, { commitId: EARLIER })],
      governedFingerprint: { [HEAD]: '', [EARLIER]: '' },
    });
    expect(evaluateApprovals([manager()], bothEmpty).satisfied).toBe(false);
  });

  it('still counts a review of the head commit when no fingerprint is known', () => {
    expect(evaluateApprovals([manager()], snapshot({ reviews: [approve('mona')], governedFingerprint: {} })).satisfied).toBe(true);
  });

  it('does not read fingerprints off Object.prototype', () => {
    const pr = { headSha: 'constructor', governedFingerprint: {} };
    expect(reviewFreshness('toString', pr)).toBe('unknown');
    expect(reviewFreshness('', { headSha: '', governedFingerprint: {} })).toBe('unknown');
    // Only the snapshot's own entries count, never inherited ones.
    const inherited = Object.assign(Object.create({ [EARLIER]: 'sha256:current' }) as Record<string, string>, { [HEAD]: 'sha256:current' });
    expect(reviewFreshness(EARLIER, { headSha: HEAD, governedFingerprint: inherited })).toBe('unknown');
  });

  it("uses the latest approval's commit: an earlier approval of the head does not revive a stale one", () => {
    const status = evaluateApprovals(
      [manager()],
      snapshot({ reviews: [approve('mona', 1, { commitId: HEAD }), approve('mona', 2, { commitId: OLDER })] }),
    );
    expect(status.satisfied).toBe(false);
  });
});

describe('governedFingerprint', () => {
  const e = (path: string, oid: string, kind: TreeEntry['kind'] = 'file'): TreeEntry => ({ path, oid, kind });
  const base = [
    e('README.md', 'r1'),
    e('registry/a.yaml', 'a1'),
    e('connectors/c.yaml', 'c1'),
    e('policies/approval.yaml', 'p1'),
    e('templates/t/x.yaml', 't1'),
  ];
  const fp = (entries: TreeEntry[]) => governedFingerprint({ entries });

  it('ignores files outside the governed folders and the order of the listing', () => {
    expect(fp([...base.slice(1), e('README.md', 'r2'), e('docs/x.md', 's1')])).toBe(fp(base));
    expect(fp([...base].reverse())).toBe(fp(base));
  });

  it('ignores what only the merge job writes (audit/, generated/): a base merged in after a merge keeps approvals', () => {
    expect(fp([...base, e('audit/log.jsonl', 'l1'), e('audit/checkpoints.jsonl', 'k1'), e('generated/gateway/kong.yaml', 'g1')])).toBe(
      fp(base),
    );
  });

  it.each([
    ['a manifest changes', [e('README.md', 'r1'), e('registry/a.yaml', 'a2'), ...base.slice(2)]],
    ['a manifest is added', [...base, e('registry/b.yaml', 'b1')]],
    ['a manifest is removed', base.filter((x) => x.path !== 'registry/a.yaml')],
    ['a manifest is renamed', [e('registry/renamed.yaml', 'a1'), ...base.filter((x) => x.path !== 'registry/a.yaml')]],
    ['a connector changes', base.map((x) => (x.path === 'connectors/c.yaml' ? e(x.path, 'c2') : x))],
    ['the policy changes', base.map((x) => (x.path === 'policies/approval.yaml' ? e(x.path, 'p2') : x))],
    ['a template changes', base.map((x) => (x.path === 'templates/t/x.yaml' ? e(x.path, 't2') : x))],
    ['a file becomes a symlink', base.map((x) => (x.path === 'registry/a.yaml' ? e(x.path, 'a1', 'symlink') : x))],
  ])('changes when %s', (_what, entries) => {
    expect(fp(entries)).not.toBe(fp(base));
  });
});
