/**
 * `microapps explain FILE`: every rule of the policy with each condition's value for one app.
 */
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';
import { shippedRules } from '../helpers/shipped.js';

const FILE = 'registry/finance/expense-approver-microapp.json';

/**
 * The expected value of each shipped condition for expense-approver-microapp: sandbox, OIDC
 * with openid/profile/email, hr_api_read (pii) and expense_api_write (financial_write), both
 * pre-approved, retention 90 days, provider company-sso.
 */
const EXPECTED: Record<string, boolean> = {
  'environment == "sandbox"': true,
  'connectors in preapproved_list': true,
  'scopes subset_of minimal_scopes': true,
  'environment == "production"': false,
  'connectors include "hr_api_read"': true,
  'data_types include "pii" or "financial_write"': true,
  'data_types include "phi"': false,
  'retention_days > 365': false,
  'auth.provider != "company-sso"': false,
  // explain judges the manifest as a new app.
  'change.kind == "removed"': false,
};

describe('microapps explain', () => {
  const rules = shippedRules();

  it('reads the shipped policy (sanity check of this test)', () => {
    expect(rules.map((r) => r.id)).toEqual(['001', '002', '003', '004', '005', '006', '007']);
    for (const rule of rules) for (const c of rule.conditions) expect(Object.keys(EXPECTED)).toContain(c);
  });

  it('prints each rule id with each condition and its true/false value', () => {
    const r = runCli(['explain', FILE, '--root', REPO_ROOT], { cwd: REPO_ROOT });
    expect(r.code, r.describe()).toBe(0);
    const lines = r.stdout.split('\n');
    for (const rule of rules) {
      expect(r.stdout, `rule ${rule.id} in:\n${r.stdout}`).toContain(rule.id);
    }
    // Each condition's line carries its value (true/false) for this app.
    for (const [condition, value] of Object.entries(EXPECTED)) {
      const matching = lines.filter((l) => l.includes(condition));
      expect(matching.length, `a line with ${condition} in:\n${r.stdout}`).toBeGreaterThanOrEqual(1);
      for (const line of matching) {
        expect(line, `the value of ${condition}`).toMatch(new RegExp(`\\b${value}\\b`));
        expect(line, `the value of ${condition}`).not.toMatch(new RegExp(`\\b${!value}\\b`));
      }
    }
  });

  it('--format json prints JSON alone', () => {
    const r = runCli(['explain', FILE, '--root', REPO_ROOT, '--format', 'json'], { cwd: REPO_ROOT });
    expect(r.code, r.describe()).toBe(0);
    const json = r.json();
    const text = JSON.stringify(json);
    for (const rule of rules) expect(text).toContain(`"${rule.id}"`);
  });

  it('exits 2 without a file', () => {
    const r = runCli(['explain', '--root', REPO_ROOT]);
    expect(r.code, r.describe()).toBe(2);
    expect(r.stdout).toBe('');
  });
});
