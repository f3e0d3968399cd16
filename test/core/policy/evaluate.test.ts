/** Decisions, guards, defaults, approvals and reviewers. */
import { describe, expect, it } from 'vitest';
import { evaluateChange } from '../../../src/core/policy/evaluate.js';
import type { AppChange } from '../../../src/core/policy/types.js';
import { app, CATALOG, DIRECTORY, loadOk, SEED_POLICY } from './helpers.js';

const seed = loadOk(SEED_POLICY);
const added = (manifest = app()): AppChange => ({ kind: 'added', manifest });

describe('built-in guards', () => {
  it('a blocked connector denies, whatever the rules say, and needs no approval', () => {
    const v = evaluateChange(seed, added(app({ environment: 'production', connectors: ['hr_api_read', 'legacy_db'] })), CATALOG, DIRECTORY);
    expect(v.decision).toBe('deny');
    expect(v.rules).toEqual(['guard:blocked-connector', '002']);
    expect(v.required_approvals).toEqual([]);
    expect(v.matches[0]!.reason).toBe('Connector "legacy_db" is blocked in the connector catalog, so no app may use it.');
    expect(v.matches[0]!.remedy).toBe('Remove "legacy_db" from "connectors".');
  });

  it('a restricted connector needs security review', () => {
    const v = evaluateChange(seed, added(app({ environment: 'production', connectors: ['crm_api'] })), CATALOG, DIRECTORY);
    expect(v.rules).toEqual(['guard:restricted-connector']);
    expect(v.decision).toBe('security_team_review');
  });

  it('a connector missing from the base catalog needs security review, and is not preapproved', () => {
    const v = evaluateChange(seed, added(app({ connectors: [{ id: 'brand_new', scopes: ['x'] }] })), CATALOG, DIRECTORY);
    expect(v.rules).toEqual(['guard:unknown-connector']);
    expect(v.decision).toBe('security_team_review');
  });

  it('no policy can switch a guard off: an auto-approve rule for everything still loses', () => {
    const policy = loadOk(
      'policy:\n  - id: all\n    name: everything\n    conditions: [environment matches "*"]\n    action: auto_approve\n',
    );
    const v = evaluateChange(policy, added(app({ connectors: ['legacy_db', 'crm_api', 'nope'] })), CATALOG, DIRECTORY);
    expect(v.rules).toEqual(['guard:blocked-connector', 'guard:restricted-connector', 'guard:unknown-connector', 'all']);
    expect(v.decision).toBe('deny');
  });

  it('a removal is not guarded and is judged by the rules on the base manifest', () => {
    const policy = loadOk(
      'policy:\n  - id: rm\n    name: removals\n    conditions: [change.kind == "removed"]\n    action: auto_approve\n',
    );
    const v = evaluateChange(policy, { kind: 'removed', manifest: app({ connectors: ['legacy_db'] }) }, CATALOG, DIRECTORY);
    expect(v.rules).toEqual(['rm']);
    expect(v.decision).toBe('auto_approve');
    // With the seed (no removal rule), a removal gets the default.
    expect(evaluateChange(seed, { kind: 'removed', manifest: app({ environment: 'production' }) }, CATALOG, DIRECTORY).decision).toBe(
      'manager_approval',
    );
  });

  it('a removal is judged only by rules that read change.kind: removing a risky app is never harder than keeping it', () => {
    const policy = loadOk(
      [
        'policy:',
        '  - id: deny-prod',
        '    name: deny_production',
        '    conditions: [environment == "production"]',
        '    action: deny',
        '  - id: rm-sandbox',
        '    name: remove_sandbox',
        '    conditions: [change.kind == "removed", environment == "sandbox"]',
        '    action: auto_approve',
        '',
      ].join('\n'),
    );
    const prod = evaluateChange(policy, { kind: 'removed', manifest: app({ environment: 'production' }) }, CATALOG, DIRECTORY);
    expect(prod.rules).toEqual([]);
    expect(prod.decision).toBe('manager_approval');
    const sandbox = evaluateChange(policy, { kind: 'removed', manifest: app({ environment: 'sandbox' }) }, CATALOG, DIRECTORY);
    expect(sandbox.rules).toEqual(['rm-sandbox']);
    expect(sandbox.decision).toBe('auto_approve');
    // The same production app added is denied.
    expect(evaluateChange(policy, added(app({ environment: 'production' })), CATALOG, DIRECTORY).decision).toBe('deny');
  });
});

describe('default_action', () => {
  const rule = 'policy:\n  - id: a\n    name: a\n    conditions: [environment == "nowhere"]\n    action: auto_approve\n';

  it('applies the written default when no rule matches', () => {
    const policy = loadOk(`default_action: security_team_review\n${rule}`);
    expect(policy.default_action_written).toBe(true);
    const v = evaluateChange(policy, added(), CATALOG, DIRECTORY);
    expect(v).toMatchObject({ decision: 'security_team_review', defaulted: true, rules: [] });
    expect(v.required_approvals[0]!.reason).toBe(
      "No policy rule matched this app, so the policy's default applies: the security team must review it.",
    );
  });

  it('a default of deny needs no approvals', () => {
    const v = evaluateChange(loadOk(`default_action: deny\n${rule}`), added(), CATALOG, DIRECTORY);
    expect(v).toMatchObject({ decision: 'deny', defaulted: true, required_approvals: [] });
  });

  it('absent, it is manager_approval', () => {
    const v = evaluateChange(loadOk(rule), added(), CATALOG, DIRECTORY);
    expect(v).toMatchObject({ decision: 'manager_approval', defaulted: true });
  });

  it('does not apply when a rule matched, even a weaker one', () => {
    const policy = loadOk(
      `default_action: deny\npolicy:\n  - id: a\n    name: a\n    conditions: [environment == "sandbox"]\n    action: auto_approve\n`,
    );
    expect(evaluateChange(policy, added(), CATALOG, DIRECTORY)).toMatchObject({ decision: 'auto_approve', defaulted: false });
  });
});

describe('strictest action and union of approvals', () => {
  const policy = loadOk(`approvers:
  manager_approval: { owner_managers: true, users: [maria, carol] }
  security_team_review: { teams: [acme/security], users: ["@dave"] }
policy:
  - id: m
    name: manager
    conditions: [environment == "sandbox"]
    action: manager_approval
    message: sandbox apps need the owner's manager to approve
    remedy: Ask your manager.
  - id: s
    name: security
    conditions: [retention_days > 30]
    action: security_team_review
  - id: d
    name: no_long_retention
    conditions: [retention_days > 365]
    action: deny
`);

  it('resolves reviewers: managers and users as @login, teams as @org/slug, deduplicated', () => {
    const v = evaluateChange(policy, added(), CATALOG, DIRECTORY);
    expect(v.decision).toBe('security_team_review');
    expect(v.required_approvals).toEqual([
      {
        action: 'manager_approval',
        reviewers: ['@maria', '@bob', '@carol'],
        reason: "Rule m (manager): sandbox apps need the owner's manager to approve.",
      },
      {
        action: 'security_team_review',
        reviewers: ['@acme/security', '@dave'],
        reason: 'Rule s (security) applies because retention_days > 30, so the security team must review it.',
      },
    ]);
    expect(v.matches[0]!.remedy).toBe('Ask your manager.');
    expect(v.findings).toEqual([]);
  });

  it('deny wins and lists no approvals', () => {
    const v = evaluateChange(policy, added(app({ retention_days: 400 })), CATALOG, DIRECTORY);
    expect(v.rules).toEqual(['m', 's', 'd']);
    expect(v).toMatchObject({ decision: 'deny', required_approvals: [] });
  });

  it('an owner without managers: a warning, and the approval stays with the other reviewers', () => {
    const v = evaluateChange(policy, added(app({ owner: 'nomanager@example.com', retention_days: 1 })), CATALOG, DIRECTORY, {
      manifestPath: 'registry/x.yaml',
      ownerPosition: { line: 2, column: 8 },
    });
    expect(v.required_approvals[0]!.reviewers).toEqual(['@maria', '@carol']);
    expect(v.findings).toMatchObject([{ severity: 'warning', code: 'directory.no-manager', path: 'registry/x.yaml', line: 2, column: 8 }]);
  });

  it('no directory at all: the manager approval is kept with no reviewers', () => {
    const v = evaluateChange(seed, added(app({ environment: 'production', connectors: ['hr_api_read'] })), CATALOG, undefined);
    expect(v.required_approvals).toMatchObject([{ action: 'manager_approval', reviewers: [] }]);
    expect(v.findings.map((f) => f.code)).toEqual(['directory.no-manager']);
  });

  it('an owner called "constructor" does not reach Object.prototype', () => {
    const v = evaluateChange(seed, added(app({ owner: 'constructor', environment: 'production' })), CATALOG, DIRECTORY);
    expect(v.required_approvals[0]!.reviewers).toEqual([]);
  });

  it('a security review nobody can give is reported', () => {
    const v = evaluateChange(seed, added(app({ data_types: ['pii'], environment: 'production' })), CATALOG, DIRECTORY);
    expect(v.required_approvals).toMatchObject([{ action: 'security_team_review', reviewers: [] }]);
    expect(v.findings).toMatchObject([{ severity: 'warning', code: 'policy.no-reviewers', path: 'policies/approval.yaml' }]);
  });
});

describe('run-time failures fail closed', () => {
  const policyFor = (action: string) => loadOk(`policy:\n  - id: x\n    name: x\n    when: connectors[5] == "a"\n    action: ${action}\n`);

  it('a rule that cannot be evaluated matches when its action is strict', () => {
    const v = evaluateChange(policyFor('deny'), added(), CATALOG, DIRECTORY);
    expect(v.decision).toBe('deny');
    expect(v.findings).toMatchObject([{ severity: 'error', code: 'policy.evaluation-error', line: 4, column: 11 }]);
  });

  it('but never auto-approves', () => {
    const v = evaluateChange(policyFor('auto_approve'), added(), CATALOG, DIRECTORY);
    expect(v).toMatchObject({ decision: 'manager_approval', defaulted: true });
    expect(v.findings[0]!.code).toBe('policy.evaluation-error');
  });
});
