/** Issue 9, section 7: the words of a decision say what happened (core, no I/O). */
import { describe, expect, it } from 'vitest';
import { defaultReason, evaluateChange } from '../../../src/core/policy/evaluate.js';
import { renderExplanationText } from '../../../src/core/render/render-explanation.js';
import { explainChange } from '../../../src/core/policy/explain.js';
import type { ConnectorCatalog } from '../../../src/core/policy/types.js';
import { app, CATALOG, DIRECTORY, loadOk, SEED_POLICY } from '../policy/helpers.js';

const seed = loadOk(SEED_POLICY);
const written = loadOk(`default_action: manager_approval\n${SEED_POLICY}`);

const DESCRIBED: ConnectorCatalog = {
  connectors: new Map([
    ...CATALOG.connectors,
    ['legacy_db', { ...CATALOG.connectors.get('legacy_db')!, description: 'Blocked: the old database.\n  Use customer_db_read instead.' }],
    ['crm_api', { ...CATALOG.connectors.get('crm_api')!, description: 'Restricted. Prefer calendar_read where it fits.' }],
  ]),
};

describe('a guard that decides is named, never called the default', () => {
  it('a blocked connector and no matching rule: the default is named as the default, the guard as what decides', () => {
    const v = evaluateChange(
      written,
      { kind: 'added', manifest: app({ environment: 'production', connectors: ['legacy_db'] }) },
      CATALOG,
      DIRECTORY,
    );
    expect(v.decision).toBe('deny');
    expect(v.defaulted).toBe(true);
    expect(defaultReason(written, v)).toBe(
      'No rule of the policy matched, so the policy\'s default applies (manager approval), but the built-in guard "blocked connector" is stricter and decides: deny.',
    );
  });

  it('neighbour: a restricted connector under the built-in default names the restricted-connector guard', () => {
    const v = evaluateChange(
      seed,
      { kind: 'added', manifest: app({ environment: 'production', connectors: ['crm_api'] }) },
      CATALOG,
      DIRECTORY,
    );
    expect(v.decision).toBe('security_team_review');
    expect(defaultReason(seed, v)).toBe(
      'No rule of the policy matched, so the built-in default applies (manager approval), but the built-in guard "restricted connector" is stricter and decides: security team review.',
    );
  });

  it('the default alone says only the default; a matching rule says nothing about a default', () => {
    const v = evaluateChange(written, { kind: 'added', manifest: app({ environment: 'production' }) }, CATALOG, DIRECTORY);
    expect(defaultReason(written, v)).toBe("No rule of the policy matched, so the policy's default applies (manager approval).");
    const matched = evaluateChange(written, { kind: 'added', manifest: app({ connectors: ['customer_db_read'] }) }, CATALOG, DIRECTORY);
    expect(defaultReason(written, matched)).toBeUndefined();
  });

  it("explain: the decision line does not call a guard's deny the default, and the why names the guard", () => {
    const manifest = app({ environment: 'production', connectors: ['legacy_db'] });
    const e = explainChange(written, { kind: 'added', manifest }, CATALOG, DIRECTORY);
    const text = renderExplanationText(manifest.name, 'registry/finance/x.yaml', written, e, []);
    expect(text).toContain('\nDecision: denied.\n');
    expect(text).not.toContain("(no rule matched: the policy's default)");
    expect(text).toContain(
      '  why: No rule of the policy matched, so the policy\'s default applies (manager approval), but the built-in guard "blocked connector" is stricter and decides: deny.\n',
    );
  });
});

describe("a blocked or restricted connector's own description reaches the developer", () => {
  it('blocked: the reason quotes the catalog description, whitespace flattened', () => {
    const v = evaluateChange(seed, { kind: 'added', manifest: app({ connectors: ['legacy_db'] }) }, DESCRIBED, DIRECTORY);
    expect(v.matches[0]!.reason).toBe(
      'Connector "legacy_db" is blocked in the connector catalog, so no app may use it. The connector catalog says about "legacy_db": Blocked: the old database. Use customer_db_read instead.',
    );
  });

  it('neighbour: restricted, next to a blocked one, each with its own description', () => {
    const v = evaluateChange(seed, { kind: 'added', manifest: app({ connectors: ['crm_api', 'legacy_db'] }) }, DESCRIBED, DIRECTORY);
    const restricted = v.matches.find((m) => m.id === 'guard:restricted-connector')!;
    expect(restricted.reason).toBe(
      'Connector "crm_api" is restricted: an app may use it only after a security review. The connector catalog says about "crm_api": Restricted. Prefer calendar_read where it fits.',
    );
    expect(v.matches.find((m) => m.id === 'guard:blocked-connector')!.reason).toContain('Use customer_db_read instead.');
  });
});

describe('each effective data type names where it came from', () => {
  it('a type from a connector: "financial_write, from connector expense_api_write"', () => {
    const v = evaluateChange(
      seed,
      { kind: 'added', manifest: app({ environment: 'production', connectors: ['expense_api_write'] }) },
      CATALOG,
      DIRECTORY,
    );
    expect(v.rules).toEqual(['003']);
    expect(v.matches[0]!.reason).toBe(
      'Rule 003 (manual_security_review) applies because data_types include "pii" or "financial_write", so the security team must review it. Data types: financial_write, from connector expense_api_write.',
    );
  });

  it('neighbour: declared and brought by a connector, and a second type from another connector', () => {
    const v = evaluateChange(
      seed,
      {
        kind: 'added',
        manifest: app({ environment: 'production', data_types: ['pii'], connectors: ['customer_db_read', 'expense_api_write'] }),
      },
      CATALOG,
      DIRECTORY,
    );
    expect(v.matches[0]!.reason).toMatch(
      / Data types: pii, declared in data_types and from connector customer_db_read; financial_write, from connector expense_api_write\.$/,
    );
  });

  it('a rule that does not read data types does not list them', () => {
    const v = evaluateChange(
      seed,
      { kind: 'added', manifest: app({ environment: 'production', connectors: ['hr_api_read'], data_types: ['public'] }) },
      CATALOG,
      DIRECTORY,
    );
    expect(v.rules).toEqual(['002']);
    expect(v.matches[0]!.reason).not.toContain('Data types');
  });
});
