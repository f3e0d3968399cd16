import { describe, expect, it } from 'vitest';
import { evaluateApprovals } from '../../../src/core/approvals/evaluate.js';
import { WHY } from '../../../src/core/approvals/words.js';
import { approve, HEAD, manager, security, snapshot } from './helpers.js';

describe('who may approve', () => {
  it('resolves users and team members, and counts only eligible reviewers', () => {
    const outsider = approve('randy');
    const status = evaluateApprovals([security('@acme/security', '@lead')], snapshot({ reviews: [outsider] }));
    const a = status.approvals[0]!;
    expect(a.eligible).toEqual(['sam', 'sue', 'lead']);
    expect(a.satisfied).toBe(false);
    expect(a.pending).toBe('an approval from @lead or a member of @acme/security');
    expect(status.ignored).toEqual([{ login: 'randy', reviewId: outsider.id, why: 'is not in @acme/security or among @lead' }]);
  });

  it('names the managers and the team when someone outside both approves', () => {
    const outsider = approve('randy');
    const status = evaluateApprovals([manager('@mona'), security()], snapshot({ reviews: [outsider] }));
    expect(status.ignored).toEqual([
      { login: 'randy', reviewId: outsider.id, why: "is not among the owner's managers (@mona) or in @acme/security" },
    ]);
  });

  it('never counts the author of the pull request, even in the team', () => {
    const own = approve('sam');
    const status = evaluateApprovals([security()], snapshot({ author: 'sam', reviews: [own] }));
    expect(status.satisfied).toBe(false);
    expect(status.approvals[0]!.eligible).toEqual(['sue']);
    expect(status.ignored).toEqual([{ login: 'sam', reviewId: own.id, why: WHY.author }]);
  });

  it('never counts someone who authored or committed a commit of the pull request, even in the team', () => {
    const r = approve('sam');
    const status = evaluateApprovals(
      [security()],
      snapshot({
        reviews: [r],
        commits: [
          { sha: HEAD, authors: ['dev'] },
          { sha: 'c2', authors: ['dev', 'sam'] },
        ],
      }),
    );
    expect(status.satisfied).toBe(false);
    expect(status.approvals[0]!.eligible).toEqual(['sue']);
    expect(status.ignored).toEqual([{ login: 'sam', reviewId: r.id, why: WHY.committer }]);
  });

  it('never counts someone who pushed commits to the pull request, even in the team', () => {
    const r = approve('sue');
    const status = evaluateApprovals([security()], snapshot({ reviews: [r], pushers: ['dev', 'sue'] }));
    expect(status.satisfied).toBe(false);
    expect(status.approvals[0]!.eligible).toEqual(['sam']);
    expect(status.ignored).toEqual([{ login: 'sue', reviewId: r.id, why: WHY.pusher }]);
  });

  it('counts an eligible reviewer who did not touch the pull request', () => {
    const status = evaluateApprovals([security()], snapshot({ reviews: [approve('sue')], pushers: ['dev', 'sam'] }));
    expect(status.satisfied).toBe(true);
    expect(status.approvals[0]!.satisfiedBy).toEqual(['sue']);
  });

  it('compares logins case-insensitively everywhere', () => {
    const pr = snapshot({
      author: 'Dev',
      teamMembers: { 'Acme/Security': ['SAM', 'Sue'] },
      pushers: ['SUE'],
      reviews: [approve('sam', 1), approve('sUe', 2), approve('MONA', 3), approve('dev', 4)],
    });
    const status = evaluateApprovals([manager('@Mona', '@DEV'), security('@acme/SECURITY')], pr);
    expect(status.approvals.map((a) => a.satisfiedBy)).toEqual([['MONA'], ['sam']]);
    expect(status.approvals[1]!.eligible).toEqual(['SAM']);
    expect(status.approvals[0]!.eligible).toEqual(['Mona']);
    expect(status.ignored.map((i) => [i.login, i.why])).toEqual([
      ['sUe', WHY.pusher],
      ['dev', WHY.author],
    ]);
  });

  it('uses team membership as given now: someone removed from the team no longer counts', () => {
    const reviews = [approve('sam')];
    expect(evaluateApprovals([security()], snapshot({ reviews })).satisfied).toBe(true);
    const after = evaluateApprovals([security()], snapshot({ reviews, teamMembers: { 'acme/security': ['sue'] } }));
    expect(after.satisfied).toBe(false);
    expect(after.ignored).toEqual([{ login: 'sam', reviewId: reviews[0]!.id, why: 'is not in @acme/security' }]);
  });

  it('treats a team whose members were not looked up as having no member, and says so', () => {
    const status = evaluateApprovals([security('@acme/security', '@lead')], snapshot({ reviews: [approve('sam')], teamMembers: {} }));
    const a = status.approvals[0]!;
    expect(a.satisfied).toBe(false);
    expect(a.unresolvedTeams).toEqual(['acme/security']);
    expect(a.pending).toBe('an approval from @lead (the members of @acme/security could not be looked up)');
  });

  it('says an approval with no reviewers at all is unsatisfiable', () => {
    const status = evaluateApprovals(
      [security(...[])].map((s) => ({ ...s, reviewers: [] })),
      snapshot({ reviews: [approve('sam')] }),
    );
    const a = status.approvals[0]!;
    expect(a.unsatisfiable).toBe(true);
    expect(a.satisfied).toBe(false);
    expect(a.pending).toBe('nobody is configured to approve for the security team: ask the platform team');
    expect(status.satisfied).toBe(false);
  });

  it('says so when every configured reviewer wrote or pushed the change', () => {
    const status = evaluateApprovals([manager('@mona')], snapshot({ author: 'mona' }));
    expect(status.approvals[0]!.unsatisfiable).toBe(true);
    expect(status.approvals[0]!.pending).toMatch(/^nobody is left to give the owner's manager's approval: .*ask the platform team$/);
  });

  it('says so when the only team could not be looked up', () => {
    const status = evaluateApprovals([security()], snapshot({ teamMembers: {} }));
    expect(status.approvals[0]!.unsatisfiable).toBe(true);
    expect(status.approvals[0]!.pending).toBe(
      'nobody can give the security review: the members of @acme/security could not be looked up; ask the platform team',
    );
  });

  it('ignores reviewer entries that are not a login or a team', () => {
    const status = evaluateApprovals([manager('@', '', '@a/b/c', '@mona')], snapshot({ reviews: [approve('mona')] }));
    expect(status.approvals[0]!.eligible).toEqual(['mona']);
    expect(status.satisfied).toBe(true);
  });

  it('does not reach Object.prototype through team names', () => {
    const status = evaluateApprovals([security('@constructor/x', '@__proto__/y')], snapshot({ reviews: [approve('sam')] }));
    expect(status.approvals[0]!.eligible).toEqual([]);
    expect(status.approvals[0]!.unresolvedTeams).toEqual(['constructor/x', '__proto__/y']);
  });
});
