/**
 * Changing an app's owner is a transfer (issue 9, section 3): a built-in guard no policy can
 * switch off. It needs a manager of the old owner and a manager of the new owner, as two separate
 * approvals, and is never auto-approved, in the sandbox neither.
 */
import { describe, expect, it } from 'vitest';
import { evaluateChange } from '../../../src/core/policy/evaluate.js';
import { app, CATALOG, loadOk, SEED_POLICY } from './helpers.js';

const DIRECTORY = {
  owners: {
    'finance-team@example.com': { managers: ['maria', 'bob'] },
    'it-team@example.com': { managers: ['ines'] },
    'nomanager@example.com': {},
  },
};
const policy = loadOk(SEED_POLICY);
const before = app({ owner: 'finance-team@example.com' });

describe('owner transfer', () => {
  it("a sandbox app that rule 001 auto-approves needs both owners' managers once its owner changes", () => {
    const verdict = evaluateChange(
      policy,
      { kind: 'modified', previous: before, manifest: app({ owner: 'it-team@example.com' }) },
      CATALOG,
      DIRECTORY,
    );
    expect(verdict.decision).toBe('manager_approval');
    expect(verdict.rules).toEqual(['guard:owner-transfer', '001']);
    expect(verdict.matches[0]!.reason).toBe(
      "The app's owner changes from finance-team@example.com to it-team@example.com. Handing an app over needs the approval of a manager of the old owner and of a manager of the new owner.",
    );
    expect(verdict.required_approvals).toEqual([
      {
        action: 'manager_approval',
        reviewers: ['@maria', '@bob'],
        reason: expect.stringContaining('handed over by finance-team@example.com'),
        title: 'Manager of the old owner, finance-team@example.com',
      },
      {
        action: 'manager_approval',
        reviewers: ['@ines'],
        reason: expect.stringContaining('handed over to it-team@example.com'),
        title: 'Manager of the new owner, it-team@example.com',
      },
    ]);
  });

  it("a production app keeps its other approvals and adds the old owner's manager", () => {
    const prod = { environment: 'production' as const, connectors: ['hr_api_read'], data_types: ['pii'] };
    const verdict = evaluateChange(
      policy,
      { kind: 'modified', previous: app({ ...prod }), manifest: app({ ...prod, owner: 'it-team@example.com' }) },
      CATALOG,
      DIRECTORY,
    );
    expect(verdict.decision).toBe('security_team_review');
    expect(verdict.rules).toEqual(['guard:owner-transfer', '002', '003']);
    const managers = verdict.required_approvals.filter((a) => a.action === 'manager_approval').map((a) => a.reviewers);
    expect(managers).toEqual(expect.arrayContaining([['@ines'], ['@maria', '@bob']]));
    expect(verdict.required_approvals.map((a) => a.action)).toContain('security_team_review');
  });

  it('a deny stays a deny (nothing to approve)', () => {
    const verdict = evaluateChange(
      policy,
      { kind: 'modified', previous: before, manifest: app({ owner: 'it-team@example.com', connectors: ['legacy_db'] }) },
      CATALOG,
      DIRECTORY,
    );
    expect(verdict).toMatchObject({ decision: 'deny', required_approvals: [] });
  });

  it('an owner without managers leaves that approval with nobody to give it, and says so', () => {
    const verdict = evaluateChange(
      policy,
      { kind: 'modified', previous: before, manifest: app({ owner: 'nomanager@example.com' }) },
      CATALOG,
      DIRECTORY,
      { manifestPath: 'registry/x/a.yaml' },
    );
    expect(verdict.required_approvals.map((a) => a.reviewers)).toContainEqual([]);
    expect(verdict.findings.map((f) => f.code)).toContain('directory.no-manager');
  });

  it("the policy's own manager approvers do not replace the owners' managers for a transfer", () => {
    const teams = loadOk(`approvers:\n  manager_approval: { teams: [acme/managers] }\n${SEED_POLICY}`);
    const verdict = evaluateChange(
      teams,
      { kind: 'modified', previous: before, manifest: app({ owner: 'it-team@example.com' }) },
      CATALOG,
      DIRECTORY,
    );
    expect(verdict.required_approvals.map((a) => a.reviewers)).toEqual([['@maria', '@bob'], ['@ines']]);
  });

  it('no transfer: the same owner, an added app, a removal', () => {
    expect(
      evaluateChange(policy, { kind: 'modified', previous: before, manifest: app({ retention_days: 30 }) }, CATALOG, DIRECTORY).rules,
    ).toEqual(['001']);
    expect(evaluateChange(policy, { kind: 'added', manifest: app({ owner: 'it-team@example.com' }) }, CATALOG, DIRECTORY).rules).toEqual([
      '001',
    ]);
    expect(evaluateChange(policy, { kind: 'removed', manifest: app() }, CATALOG, DIRECTORY).rules).not.toContain('guard:owner-transfer');
  });

  it('an added app that replaces a removed one of the same name (a move) is still a transfer', () => {
    const verdict = evaluateChange(
      policy,
      { kind: 'added', previous: before, manifest: app({ owner: 'it-team@example.com' }) },
      CATALOG,
      DIRECTORY,
    );
    expect(verdict).toMatchObject({ decision: 'manager_approval', rules: ['guard:owner-transfer', '001'] });
  });
});
