import { describe, expect, it } from 'vitest';
import { evaluateApprovals } from '../../../src/core/approvals/evaluate.js';
import { approve, manager, review, security, snapshot } from './helpers.js';

describe('several required approvals', () => {
  const required = [manager('@mona'), security()];

  it('passes only when every required approval is given', () => {
    expect(evaluateApprovals(required, snapshot({ reviews: [approve('mona')] })).satisfied).toBe(false);
    expect(evaluateApprovals(required, snapshot({ reviews: [approve('sam')] })).satisfied).toBe(false);
    expect(evaluateApprovals(required, snapshot({ reviews: [approve('mona'), approve('sam')] })).satisfied).toBe(true);
  });

  it.each([
    ['manager then security', [approve('mona', 1), approve('sam', 2)]],
    ['security then manager', [approve('sam', 1), approve('mona', 2)]],
  ])('does not depend on the order of the reviews: %s', (_order, reviews) => {
    const status = evaluateApprovals(required, snapshot({ reviews }));
    expect(status.satisfied).toBe(true);
    expect(status.approvals.map((a) => [a.action, a.satisfiedBy])).toEqual([
      ['manager_approval', ['mona']],
      ['security_team_review', ['sam']],
    ]);
  });

  it('does not depend on the order of the requirements', () => {
    const reviews = [approve('mona', 1), review('sam', 'COMMENTED', 2)];
    const one = evaluateApprovals(required, snapshot({ reviews }));
    const other = evaluateApprovals([...required].reverse(), snapshot({ reviews }));
    expect(other.approvals.map((a) => a.action)).toEqual(['security_team_review', 'manager_approval']);
    expect([...other.approvals].reverse()).toEqual(one.approvals);
    expect(other.satisfied).toBe(one.satisfied);
  });

  it('lets one person who is eligible for both give both approvals', () => {
    const status = evaluateApprovals([manager('@sam'), security()], snapshot({ reviews: [approve('sam')] }));
    expect(status.satisfied).toBe(true);
    expect(status.approvals.map((a) => a.satisfiedBy)).toEqual([['sam'], ['sam']]);
  });

  it('lists, per approval, the approvals that do not count for it, and overall only those that count for nothing', () => {
    const status = evaluateApprovals(required, snapshot({ reviews: [approve('mona', 1), approve('randy', 2)] }));
    const [mgr, sec] = status.approvals;
    expect(mgr!.satisfied).toBe(true);
    expect(sec!.satisfied).toBe(false);
    expect(sec!.pending).toBe('an approval from a member of @acme/security');
    expect(sec!.ignored.map((i) => [i.login, i.why])).toEqual([
      ['mona', 'is not in @acme/security'],
      ['randy', 'is not in @acme/security'],
    ]);
    expect(mgr!.ignored.map((i) => [i.login, i.why])).toEqual([['randy', "is not among the owner's managers (@mona)"]]);
    expect(status.ignored.map((i) => i.login)).toEqual(['randy']);
  });

  it('needs nothing when nothing is required', () => {
    const status = evaluateApprovals([], snapshot({ reviews: [approve('randy')] }));
    expect(status).toEqual({ satisfied: true, approvals: [], ignored: [] });
  });

  it('keeps each requirement separate when two of the same kind are required', () => {
    const status = evaluateApprovals([manager('@mona'), manager('@lisa')], snapshot({ reviews: [approve('mona')] }));
    expect(status.approvals.map((a) => a.satisfied)).toEqual([true, false]);
    expect(status.satisfied).toBe(false);
  });
});
