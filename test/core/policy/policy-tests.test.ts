/** Declarative policy tests (policies/tests/*.yaml). */
import { describe, expect, it } from 'vitest';
import { error } from '../../../src/core/findings.js';
import { runPolicyTest } from '../../../src/core/policy/policy-tests.js';
import { CATALOG, DIRECTORY, loadOk, parse, SEED_POLICY } from './helpers.js';

const policy = loadOk(SEED_POLICY);
const MANIFEST = `  name: hr-dashboard
  owner: finance-team@example.com
  environment: production
  auth: { type: oidc, provider: company-sso, scopes: [openid] }
  connectors: [hr_api_read]`;
const run = (text: string, options = {}) => runPolicyTest(parse(text, 'policies/tests/t.yaml'), policy, CATALOG, DIRECTORY, options);

describe('runPolicyTest', () => {
  it('passes when decision, rules (as written: 002) and approvals match', () => {
    const r = run(
      `name: HR in production needs the manager\nmanifest:\n${MANIFEST}\nexpect:\n  decision: manager_approval\n  rules: [002]\n  approvals: [manager_approval]\n`,
    );
    expect(r).toMatchObject({ name: 'HR in production needs the manager', passed: true, failures: [], findings: [] });
    expect(r.actual).toEqual({ decision: 'manager_approval', rules: ['002'], approvals: ['manager_approval'] });
  });

  it('fails with a clear message at the expectation that is wrong', () => {
    const r = run(`name: wrong\nmanifest:\n${MANIFEST}\nexpect:\n  decision: auto_approve\n  rules: ["001"]\n`);
    expect(r.passed).toBe(false);
    expect(r.failures).toEqual([
      'Expected the decision auto_approve, but the policy gives manager_approval (matching rules: 002).',
      'Expected the matching rules [001], but they are [002].',
    ]);
    expect(r.findings).toMatchObject([
      { code: 'policy-test.failed', path: 'policies/tests/t.yaml', line: 9, column: 13 },
      { code: 'policy-test.failed', line: 10, column: 10 },
    ]);
  });

  it('compares approvals as an exact set', () => {
    const r = run(
      `name: a\nmanifest:\n${MANIFEST}\nexpect:\n  decision: manager_approval\n  approvals: [manager_approval, security_team_review]\n`,
    );
    expect(r.passed).toBe(false);
    expect(r.failures[0]).toBe(
      'Expected the approvals [manager_approval, security_team_review], but the policy requires [manager_approval].',
    );
  });

  it('base_manifest makes it a modification; change.* variables see it', () => {
    const p = loadOk(
      'policy:\n  - id: env\n    name: promotion\n    conditions: [change.previous_environment == "sandbox", environment == "production"]\n    action: security_team_review\n',
    );
    const text = `name: promotion\nmanifest:\n${MANIFEST}\nbase_manifest:\n${MANIFEST.replace('production', 'sandbox')}\nexpect:\n  decision: security_team_review\n  rules: [env]\n`;
    expect(runPolicyTest(parse(text), p, CATALOG, DIRECTORY).passed).toBe(true);
  });

  it('change: removed judges the removal of the manifest', () => {
    // Rules that do not read change.kind do not judge a removal: the default applies.
    const r = run(`name: removal\nchange: removed\nmanifest:\n${MANIFEST}\nexpect:\n  decision: manager_approval\n  rules: []\n`);
    expect(r.passed).toBe(true);
  });

  it('a broken test file fails with findings, never passes', () => {
    const r = run(`name: x\nmanifest:\n${MANIFEST}\nexpect:\n  decison: manager_approval\n`);
    expect(r.passed).toBe(false);
    expect(r.findings.map((f) => f.code)).toEqual(['policy-test.unknown-field', 'policy-test.missing-field']);
    expect(r.findings[0]!.message).toContain('Did you mean "decision"?');
    expect(run(`name: x\nchange: modified\nmanifest:\n${MANIFEST}\nexpect:\n  decision: deny\n`).findings.map((f) => f.code)).toEqual([
      'policy-test.invalid-shape',
    ]);
  });

  it('uses the manifest validator when given', () => {
    const validateManifest = (
      doc: { path: string; valueAt: (p: readonly (string | number)[]) => { line: number; column: number } },
      pointer: readonly (string | number)[],
    ) => [error('schema.unknown-field', doc.path, doc.valueAt(pointer), 'bad manifest')];
    const r = run(`name: x\nmanifest:\n${MANIFEST}\nexpect:\n  decision: manager_approval\n`, { validateManifest });
    expect(r.passed).toBe(false);
    expect(r.findings).toMatchObject([{ code: 'schema.unknown-field', line: 3 }]);
  });
});
