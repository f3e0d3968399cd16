import { describe, expect, it } from 'vitest';
import { evaluateApprovals } from '../../../src/core/approvals/evaluate.js';
import { approvalGate } from '../../../src/core/approvals/gate.js';
import type { CheckReport } from '../../../src/core/check/report.js';
import type { Decision, RequiredApproval } from '../../../src/core/model.js';
import { approve, manager, security, snapshot } from './helpers.js';

const report = (decision: Decision, required: RequiredApproval[]): CheckReport => ({
  decision,
  apps: [],
  governance: [],
  required_approvals: required,
  findings: [],
  base: 'main',
  head: 'pr',
});

describe('approvalGate', () => {
  const required = [manager('@mona'), security()];
  const given = evaluateApprovals(required, snapshot({ reviews: [approve('mona'), approve('sam')] }));

  it('passes when every required approval is given', () => {
    expect(approvalGate(given)).toEqual({ pass: true, title: 'All required approvals given' });
    expect(approvalGate(given, report('security_team_review', required)).pass).toBe(true);
  });

  it('names what it is waiting for', () => {
    const status = evaluateApprovals(required, snapshot({ reviews: [approve('mona')] }));
    expect(approvalGate(status)).toEqual({ pass: false, title: 'Waiting for approval: security team' });
  });

  it('fails an approval nobody can give, with the way out', () => {
    const status = evaluateApprovals([security()], snapshot({ teamMembers: {} }));
    expect(approvalGate(status)).toEqual({ pass: false, title: 'Nobody can give the security team approval: ask the platform team' });
  });

  it('passes when nothing is required', () => {
    expect(approvalGate(evaluateApprovals([], snapshot()), report('auto_approve', []))).toEqual({
      pass: true,
      title: 'No approval needed',
    });
  });

  it.each(['deny', 'invalid'] as const)('never passes a %s decision, whatever the approvals', (decision) => {
    expect(approvalGate(evaluateApprovals([], snapshot()), report(decision, [])).pass).toBe(false);
    expect(approvalGate(given, report(decision, required)).pass).toBe(false);
  });

  it('fails closed when the status was evaluated for other approvals than the report requires', () => {
    expect(approvalGate(evaluateApprovals([], snapshot()), report('manager_approval', [manager('@mona')])).pass).toBe(false);
    expect(approvalGate(given, report('security_team_review', [manager('@mona'), security('@acme/other')])).pass).toBe(false);
    // Same reviewers in another order and spelling is the same requirement.
    expect(approvalGate(given, report('security_team_review', [security('@ACME/security'), manager('@Mona')])).pass).toBe(true);
  });
});
