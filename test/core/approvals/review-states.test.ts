import { describe, expect, it } from 'vitest';
import { evaluateApprovals } from '../../../src/core/approvals/evaluate.js';
import { WHY } from '../../../src/core/approvals/words.js';
import { approve, manager, review, snapshot } from './helpers.js';

const counts = (reviews: ReturnType<typeof review>[]) => evaluateApprovals([manager('@mona')], snapshot({ reviews })).satisfied;

describe('which reviews count: APPROVED only, latest decides', () => {
  it('counts an APPROVED review by an eligible reviewer on the head commit', () => {
    const status = evaluateApprovals([manager('@mona')], snapshot({ reviews: [approve('mona')] }));
    expect(status.satisfied).toBe(true);
    expect(status.approvals[0]!.satisfiedBy).toEqual(['mona']);
    expect(status.approvals[0]!.pending).toBe('');
    expect(status.ignored).toEqual([]);
  });

  it.each(['COMMENTED', 'CHANGES_REQUESTED', 'PENDING', 'DISMISSED'] as const)('never counts a %s review', (state) => {
    expect(counts([review('mona', state, 1)])).toBe(false);
  });

  it('does not count an approval followed by a request for changes, and says why', () => {
    const first = approve('mona', 1);
    const status = evaluateApprovals([manager('@mona')], snapshot({ reviews: [first, review('mona', 'CHANGES_REQUESTED', 2)] }));
    expect(status.satisfied).toBe(false);
    expect(status.ignored).toEqual([{ login: 'mona', reviewId: first.id, why: WHY.changesRequested }]);
  });

  it('counts an approval that follows a request for changes', () => {
    expect(counts([review('mona', 'CHANGES_REQUESTED', 1), approve('mona', 2)])).toBe(true);
  });

  it('does not count a dismissed approval, and says it was dismissed', () => {
    const dismissed = review('mona', 'DISMISSED', 1);
    const status = evaluateApprovals([manager('@mona')], snapshot({ reviews: [dismissed] }));
    expect(status.satisfied).toBe(false);
    expect(status.ignored).toEqual([{ login: 'mona', reviewId: dismissed.id, why: WHY.dismissed }]);
    expect(WHY.dismissed).toMatch(/review was dismissed/);
  });

  it('does not count an approval whose latest review is a dismissal', () => {
    expect(counts([approve('mona', 1), review('mona', 'DISMISSED', 2)])).toBe(false);
  });

  it('counts a new approval after a dismissal', () => {
    expect(counts([review('mona', 'DISMISSED', 1), approve('mona', 2)])).toBe(true);
  });

  it('orders by submittedAt, not by the order the reviews were listed in', () => {
    expect(counts([review('mona', 'CHANGES_REQUESTED', 5), approve('mona', 1)])).toBe(false);
    expect(counts([approve('mona', 5), review('mona', 'CHANGES_REQUESTED', 1)])).toBe(true);
  });

  it('breaks a tie in submittedAt by review id', () => {
    expect(counts([approve('mona', 3, { id: 900 }), review('mona', 'CHANGES_REQUESTED', 3, { id: 901 })])).toBe(false);
    expect(counts([approve('mona', 3, { id: 903 }), review('mona', 'CHANGES_REQUESTED', 3, { id: 902 })])).toBe(true);
  });

  it("keeps an approval when the reviewer only comments afterwards (GitHub's rule: comments neither approve nor withdraw)", () => {
    expect(counts([approve('mona', 1), review('mona', 'COMMENTED', 2)])).toBe(true);
    expect(counts([approve('mona', 1), review('mona', 'PENDING', 2, { submittedAt: '' })])).toBe(true);
  });

  it("fails closed when the order of a reviewer's reviews cannot be known", () => {
    const a = approve('mona', 1);
    const status = evaluateApprovals(
      [manager('@mona')],
      snapshot({ reviews: [a, review('mona', 'CHANGES_REQUESTED', 2, { submittedAt: 'yesterday' })] }),
    );
    expect(status.satisfied).toBe(false);
    expect(status.ignored).toEqual([{ login: 'mona', reviewId: a.id, why: WHY.unknownOrder }]);
  });

  it('never counts the review of a deleted account (user null)', () => {
    const ghost = approve(null);
    const status = evaluateApprovals([manager('@mona', '@ghost')], snapshot({ reviews: [ghost] }));
    expect(status.satisfied).toBe(false);
    expect(status.ignored).toEqual([{ login: 'ghost', reviewId: ghost.id, why: WHY.deletedAccount }]);
  });

  it('judges each reviewer by their own latest review', () => {
    const status = evaluateApprovals(
      [manager('@mona', '@lisa')],
      snapshot({
        reviews: [approve('mona', 1), review('lisa', 'CHANGES_REQUESTED', 2), review('mona', 'COMMENTED', 3)],
      }),
    );
    expect(status.approvals[0]!.satisfiedBy).toEqual(['mona']);
  });
});
