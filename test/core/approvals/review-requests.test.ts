import { describe, expect, it } from 'vitest';
import { evaluateApprovals } from '../../../src/core/approvals/evaluate.js';
import { planReviewRequests } from '../../../src/core/approvals/review-requests.js';
import { approve, EARLIER, HEAD, manager, review, security, snapshot } from './helpers.js';

const context = { repoOwner: 'acme', requestedUsers: [] as string[], requestedTeams: [] as string[] };

describe('planReviewRequests', () => {
  it('asks the named users and the teams (by slug) of every missing approval', () => {
    const pr = snapshot();
    const plan = planReviewRequests(evaluateApprovals([manager('@mona', '@lisa'), security()], pr), pr, context);
    expect(plan).toEqual({ users: ['mona', 'lisa'], teams: ['security'], skipped: [] });
  });

  it('never asks the author or a committer, and says why', () => {
    const pr = snapshot({ author: 'mona', commits: [{ sha: HEAD, authors: ['lisa'] }] });
    const plan = planReviewRequests(evaluateApprovals([manager('@mona', '@lisa', '@rita')], pr), pr, context);
    expect(plan.users).toEqual(['rita']);
    expect(plan.skipped).toEqual(['@mona may not approve this pull request', '@lisa may not approve this pull request']);
  });

  it('does not ask again who is already asked, in any letter case', () => {
    const pr = snapshot();
    const plan = planReviewRequests(evaluateApprovals([manager('@mona'), security()], pr), pr, {
      ...context,
      requestedUsers: ['Mona'],
      requestedTeams: ['Security'],
    });
    expect(plan).toEqual({ users: [], teams: [], skipped: [] });
  });

  it('asks nobody for an approval already given', () => {
    const pr = snapshot({ reviews: [approve('mona')] });
    const plan = planReviewRequests(evaluateApprovals([manager('@mona', '@lisa'), security()], pr), pr, context);
    expect(plan).toEqual({ users: [], teams: ['security'], skipped: [] });
  });

  it('does not ask at once again someone who just reviewed the head, but does after a push', () => {
    const onHead = snapshot({ reviews: [review('mona', 'CHANGES_REQUESTED', 1)] });
    expect(planReviewRequests(evaluateApprovals([manager('@mona')], onHead), onHead, context).users).toEqual([]);
    const afterPush = snapshot({ reviews: [review('mona', 'CHANGES_REQUESTED', 1, { commitId: EARLIER })] });
    expect(planReviewRequests(evaluateApprovals([manager('@mona')], afterPush), afterPush, context).users).toEqual(['mona']);
  });

  it('does not ask a team again when one of its members just reviewed the head', () => {
    const pr = snapshot({ reviews: [review('sam', 'COMMENTED', 1)] });
    expect(planReviewRequests(evaluateApprovals([security()], pr), pr, context).teams).toEqual([]);
  });

  it('skips a team of another organisation: GitHub cannot request it', () => {
    const pr = snapshot({ teamMembers: { 'other/security': ['sam'] } });
    const plan = planReviewRequests(evaluateApprovals([security('@other/security')], pr), pr, context);
    expect(plan.teams).toEqual([]);
    expect(plan.skipped[0]).toMatch(/another organisation/);
  });

  it('asks at most 15 reviewers in all, one of each missing approval first', () => {
    const managers = Array.from({ length: 20 }, (_, i) => `@manager-${i}`);
    const pr = snapshot();
    const plan = planReviewRequests(evaluateApprovals([manager(...managers), security()], pr), pr, {
      ...context,
      requestedUsers: ['someone-else'],
    });
    expect(plan.teams, 'the security team is asked although 20 managers come first').toEqual(['security']);
    expect(plan.users).toHaveLength(13);
    expect(plan.skipped).toEqual(['7 more reviewers not asked: GitHub takes at most 15 requested reviewers on a pull request']);
  });
});
