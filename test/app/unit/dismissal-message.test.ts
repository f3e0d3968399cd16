import { describe, expect, it } from 'vitest';
import { dismissalMessage, standingOwnApprovals } from '../../../src/app/follow-up/dismiss-approvals.js';
import type { PrReview } from '../../../src/core/approvals/index.js';

const fail = (title: string) => ({ pass: false, title });
const PREFIX = 'The registry policy no longer auto-approves this change: ';

describe("the App's dismissal of its own approval", () => {
  it('says why in plain words, for every decision that is not a passing auto-approval', () => {
    expect(dismissalMessage({ decision: 'manager_approval' }, fail("Waiting for approval: owner's manager"), true)).toBe(
      `${PREFIX}it now needs approval (waiting for approval: owner's manager). See the micro-app approval check for what it needs now.`,
    );
    expect(
      dismissalMessage({ decision: 'deny' }, fail('The policy does not allow this change: approvals cannot change that'), true),
    ).toMatch(new RegExp(`^${PREFIX}the policy does not allow this change\\. `));
    expect(dismissalMessage({ decision: 'invalid' }, fail('Some files have errors: fix them before approvals can count'), true)).toMatch(
      new RegExp(`^${PREFIX}some files have errors\\. `),
    );
    expect(dismissalMessage({ decision: 'no_changes' }, { pass: true, title: 'No approval needed' }, true)).toMatch(
      new RegExp(`^${PREFIX}the pull request no longer changes any registry files\\. `),
    );
    expect(
      dismissalMessage(
        { decision: 'auto_approve' },
        fail('The approval status does not match the policy check: run the check again'),
        true,
      ),
    ).toMatch(new RegExp(`^${PREFIX}the approval status does not match the policy check: run the check again\\. `));
    expect(dismissalMessage({ decision: 'auto_approve' }, { pass: true, title: 'No approval needed' }, false)).toMatch(
      /^Automatic approval is switched off/,
    );
  });

  it("only the App's own approvals still standing, whatever the case of its login", () => {
    const r = (id: number, user: string | null, state: PrReview['state']): PrReview => ({
      id,
      user,
      state,
      commitId: 'a'.repeat(40),
      submittedAt: '',
    });
    const reviews = [
      r(1, 'Microapps-Approval[bot]', 'APPROVED'),
      r(2, 'microapps-approval[bot]', 'DISMISSED'),
      r(3, 'microapps-approval', 'APPROVED'),
      r(4, null, 'APPROVED'),
      r(5, 'microapps-approval[bot]', 'COMMENTED'),
    ];
    expect(standingOwnApprovals(reviews, 'microapps-approval[bot]').map((x) => x.id)).toEqual([1]);
  });
});
