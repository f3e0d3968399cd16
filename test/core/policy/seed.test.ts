/** The seed policy of DESIGN.md section 2 must load and behave exactly as written. */
import { describe, expect, it } from 'vitest';
import { evaluateChange } from '../../../src/core/policy/evaluate.js';
import { app, CATALOG, DIRECTORY, loadOk, SEED_POLICY } from './helpers.js';

const policy = loadOk(SEED_POLICY);
const judge = (manifest = app()) => evaluateChange(policy, { kind: 'added', manifest }, CATALOG, DIRECTORY);

describe('seed policy', () => {
  it('keeps rule ids as written: 001 stays "001"', () => {
    expect(policy.rules.map((r) => r.id)).toEqual(['001', '002', '003']);
    expect(policy.default_action).toBe('manager_approval');
    expect(policy.default_action_written).toBe(false);
  });

  it('auto-approves a sandbox app with preapproved connectors and minimal scopes', () => {
    const v = judge(app({ connectors: ['calendar_read', { id: 'wiki_read', scopes: ['read'] }] }));
    expect(v.decision).toBe('auto_approve');
    expect(v.rules).toEqual(['001']);
    expect(v.defaulted).toBe(false);
    expect(v.required_approvals).toEqual([]);
  });

  it('does not auto-approve when a scope is beyond the minimal ones', () => {
    const v = judge(app({ auth: { type: 'oidc', provider: 'company-sso', scopes: ['openid', 'admin'] } }));
    expect(v.rules).toEqual([]);
    expect(v.defaulted).toBe(true);
    expect(v.decision).toBe('manager_approval');
  });

  it('does not auto-approve a sandbox app using a connector that is not preapproved', () => {
    const v = judge(app({ connectors: ['calendar_read', 'crm_api'] }));
    expect(v.rules).toEqual(['guard:restricted-connector']);
    // No rule matched: the default (manager) applies next to the guard (security).
    expect(v.defaulted).toBe(true);
    expect(v.decision).toBe('security_team_review');
    expect(v.required_approvals.map((a) => a.action)).toEqual(['manager_approval', 'security_team_review']);
  });

  it('needs the manager for a production app that uses hr_api_read', () => {
    const v = judge(app({ environment: 'production', connectors: ['hr_api_read'] }));
    expect(v.decision).toBe('manager_approval');
    expect(v.rules).toEqual(['002']);
    expect(v.required_approvals).toEqual([
      {
        action: 'manager_approval',
        reviewers: ['@maria', '@bob'],
        reason:
          'Rule 002 (require_manager) applies because environment == "production" and connectors include "hr_api_read", so the owner\'s manager must approve.',
      },
    ]);
  });

  it("needs security review when PII comes only from a connector's data classification", () => {
    const v = judge(app({ environment: 'production', connectors: ['customer_db_read'] }));
    expect(v.rules).toEqual(['003']);
    expect(v.decision).toBe('security_team_review');
    expect(v.required_approvals.map((a) => a.action)).toEqual(['security_team_review']);
  });

  it('needs security review for declared financial_write data (include ... or ...)', () => {
    const v = judge(app({ data_types: ['financial_write'] }));
    expect(v.rules).toEqual(['001', '003']);
    expect(v.decision).toBe('security_team_review');
  });

  it('production + HR + PII needs the manager AND security; the decision is the strictest', () => {
    const v = judge(app({ environment: 'production', connectors: ['hr_api_read', 'customer_db_read'] }));
    expect(v.rules).toEqual(['002', '003']);
    expect(v.decision).toBe('security_team_review');
    expect(v.required_approvals.map((a) => a.action)).toEqual(['manager_approval', 'security_team_review']);
    expect(v.required_approvals[0]!.reviewers).toEqual(['@maria', '@bob']);
  });

  it('applies the built-in default (manager approval) when no rule matches', () => {
    const v = judge(app({ environment: 'production' }));
    expect(v.defaulted).toBe(true);
    expect(v.rules).toEqual([]);
    expect(v.decision).toBe('manager_approval');
    expect(v.required_approvals[0]!.reason).toBe(
      "No policy rule matched this app, so the built-in default applies: the owner's manager must approve.",
    );
  });

  it('the example manifest of DESIGN.md (sandbox, hr_api_read + expense_api_write) needs security review', () => {
    const v = judge(app({ connectors: ['hr_api_read', 'expense_api_write'] }));
    expect(v.rules).toEqual(['001', '003']);
    expect(v.decision).toBe('security_team_review');
    expect(v.required_approvals.map((a) => a.action)).toEqual(['security_team_review']);
  });
});
