/** explainChange: every rule, every condition with its text, position, value and inputs. */
import { describe, expect, it } from 'vitest';
import { explainChange } from '../../../src/core/policy/explain.js';
import { app, CATALOG, DIRECTORY, loadOk, SEED_POLICY } from './helpers.js';

describe('explainChange', () => {
  const policy = loadOk(SEED_POLICY);

  it('shows each condition of each rule with the values it read', () => {
    const e = explainChange(
      policy,
      { kind: 'added', manifest: app({ environment: 'production', connectors: ['hr_api_read'] }) },
      CATALOG,
      DIRECTORY,
    );
    expect(e.verdict.decision).toBe('manager_approval');
    expect(e.guards).toEqual([]);
    expect(e.rules.map((r) => [r.id, r.matched])).toEqual([
      ['001', false],
      ['002', true],
      ['003', false],
    ]);
    expect(e.rules[0]!.conditions).toEqual([
      { text: 'environment == "sandbox"', position: { line: 7, column: 9 }, value: false, inputs: { environment: 'production' } },
      {
        text: 'connectors in preapproved_list',
        position: { line: 8, column: 9 },
        value: true,
        inputs: {
          connectors: ['hr_api_read'],
          preapproved_list: ['hr_api_read', 'customer_db_read', 'expense_api_write', 'calendar_read', 'wiki_read', 'drive_files'],
        },
      },
      {
        text: 'scopes subset_of minimal_scopes',
        position: { line: 9, column: 9 },
        value: true,
        inputs: { scopes: ['openid', 'profile', 'email'], minimal_scopes: ['openid', 'profile', 'email'] },
      },
    ]);
    expect(e.rules[2]!.conditions).toEqual([
      {
        text: 'data_types include "pii" or "financial_write"',
        position: { line: 20, column: 9 },
        value: false,
        inputs: { data_types: [] },
      },
    ]);
  });

  it('lists the guards that fired', () => {
    const e = explainChange(policy, { kind: 'added', manifest: app({ connectors: ['legacy_db'] }) }, CATALOG, DIRECTORY);
    expect(e.guards.map((g) => g.id)).toEqual(['guard:blocked-connector']);
    expect(e.verdict.decision).toBe('deny');
  });

  it('reports the inputs of a when: rule, numbers as plain numbers', () => {
    const p = loadOk(
      'policy:\n  - id: w\n    name: w\n    when: retention_days > 30 && auth.type == "oidc" && connectors.exists(c, c == "x")\n    action: deny\n',
    );
    const e = explainChange(p, { kind: 'added', manifest: app() }, CATALOG, DIRECTORY);
    expect(e.rules[0]!.conditions[0]!.inputs).toEqual({ retention_days: 90, 'auth.type': 'oidc', connectors: ['calendar_read'] });
    expect(e.rules[0]!.conditions[0]!.value).toBe(false);
  });
});
