/** Every operator of the condition language, evaluated on real manifests. */
import { describe, expect, it } from 'vitest';
import type { AppManifest } from '../../../src/core/model.js';
import { evaluateChange } from '../../../src/core/policy/evaluate.js';
import type { AppChange } from '../../../src/core/policy/types.js';
import { app, CATALOG, DIRECTORY, loadOk, policyWith } from './helpers.js';

const LISTS = 'lists:\n  minimal_scopes: [openid, profile, email]\n  blocked_here: [legacy_db, crm_api]\n  numbers: [001, 2]\n';

/** Whether `condition` holds for the change (or for an added `manifest`). */
function holds(condition: string, target: AppManifest | AppChange = app()): boolean {
  const policy = loadOk(policyWith([condition], LISTS));
  const change: AppChange = 'kind' in target ? target : { kind: 'added', manifest: target };
  return evaluateChange(policy, change, CATALOG, DIRECTORY).rules.includes('r0');
}

describe('comparison operators', () => {
  it('== and != on text', () => {
    expect(holds('environment == "sandbox"')).toBe(true);
    expect(holds('environment == "production"')).toBe(false);
    expect(holds('environment != "production"')).toBe(true);
    expect(holds("environment == 'sandbox'")).toBe(true);
    expect(holds('auth.provider == "company-sso"')).toBe(true);
  });

  it('< <= > >= on numbers', () => {
    expect(holds('retention_days > 30')).toBe(true);
    expect(holds('retention_days > 90')).toBe(false);
    expect(holds('retention_days >= 90')).toBe(true);
    expect(holds('retention_days < 91')).toBe(true);
    expect(holds('retention_days <= 89')).toBe(false);
  });

  it('< and > on text compare alphabetically', () => {
    expect(holds('owner < "g"')).toBe(true);
    expect(holds('owner > "g"')).toBe(false);
  });

  it('== on lists compares them as sets', () => {
    expect(holds('scopes == ["email", "openid", "profile"]')).toBe(true);
    expect(holds('scopes == ["openid"]')).toBe(false);
    expect(holds('scopes != ["openid"]')).toBe(true);
  });

  it('a yes/no variable is a condition by itself', () => {
    expect(holds('logging.structured')).toBe(true);
    expect(holds('not logging.structured')).toBe(false);
    expect(holds('logging.structured == false')).toBe(false);
  });
});

describe('in, not in, subset_of', () => {
  it('text in a list is membership', () => {
    expect(holds('"calendar_read" in connectors')).toBe(true);
    expect(holds('"hr_api_read" in connectors')).toBe(false);
    expect(holds('environment in ["sandbox", "production"]')).toBe(true);
    expect(holds('environment not in ["sandbox"]')).toBe(false);
    expect(holds('"openid" not in scopes')).toBe(false);
  });

  it('a list on the left of in means every element', () => {
    expect(holds('connectors in preapproved_list', app({ connectors: ['calendar_read', 'wiki_read'] }))).toBe(true);
    expect(holds('connectors in preapproved_list', app({ connectors: ['calendar_read', 'crm_api'] }))).toBe(false);
    expect(holds('scopes in minimal_scopes')).toBe(true);
  });

  it('a list on the left of not in means no element', () => {
    expect(holds('connectors not in blocked_here', app({ connectors: ['calendar_read'] }))).toBe(true);
    expect(holds('connectors not in blocked_here', app({ connectors: ['calendar_read', 'crm_api'] }))).toBe(false);
  });

  it('subset_of', () => {
    expect(holds('scopes subset_of minimal_scopes')).toBe(true);
    expect(holds('scopes subset_of ["openid"]')).toBe(false);
    expect(holds('connectors subset_of preapproved_list', app({ connectors: ['legacy_db'] }))).toBe(false);
  });

  it('list entries written as numbers keep their text', () => {
    expect(holds('tags subset_of numbers', app({ tags: ['001', '2'] }))).toBe(true);
    expect(holds('tags subset_of numbers', app({ tags: ['1'] }))).toBe(false);
  });
});

describe('include', () => {
  it('one value', () => {
    expect(holds('connectors include "calendar_read"')).toBe(true);
    expect(holds('connectors include "hr_api_read"')).toBe(false);
  });

  it('values joined by or: any of them', () => {
    expect(holds('data_types include "pii" or "financial_write"', app({ data_types: ['financial_write'] }))).toBe(true);
    expect(holds('data_types include "pii" or "financial_write"', app({ data_types: ['pii'] }))).toBe(true);
    expect(holds('data_types include "pii" or "financial_write"', app({ data_types: ['phi'] }))).toBe(false);
  });

  it('values joined by and: all of them', () => {
    expect(holds('data_types include "pii" and "phi"', app({ data_types: ['pii', 'phi'] }))).toBe(true);
    expect(holds('data_types include "pii" and "phi"', app({ data_types: ['pii'] }))).toBe(false);
  });

  it('an "or" followed by a test is an ordinary or', () => {
    const c = 'data_types include "pii" or environment == "sandbox"';
    expect(holds(c, app({ data_types: [] }))).toBe(true);
    expect(holds(c, app({ environment: 'production', data_types: [] }))).toBe(false);
  });
});

describe('matches (glob)', () => {
  it('matches text against a glob pattern', () => {
    expect(holds('owner matches "*@example.com"')).toBe(true);
    expect(holds('owner matches "*@example.org"')).toBe(false);
    expect(holds('name matches "expense-*"')).toBe(true);
    expect(holds('name matches "expense-?"')).toBe(false);
    expect(holds('template matches "finance/*"', app({ template: 'finance/expenses' }))).toBe(true);
  });

  it('brace expansion is off (no pattern blows up)', () => {
    expect(holds('name matches "{expense,other}-*"')).toBe(false);
  });
});

describe('and, or, not, parentheses', () => {
  it('and binds tighter than or', () => {
    // false and false or true -> true
    expect(holds('environment == "production" and retention_days > 1 or owner matches "*"')).toBe(true);
    // false and (false or true) -> false
    expect(holds('environment == "production" and (retention_days > 1000 or owner matches "*")')).toBe(false);
  });

  it('not applies to the test that follows, or to a parenthesised group', () => {
    expect(holds('not environment == "production"')).toBe(true);
    expect(holds('not (environment == "sandbox" or environment == "production")')).toBe(false);
    expect(holds('not not environment == "sandbox"')).toBe(true);
  });
});

describe('variables and their defaults', () => {
  it('absent optional fields read as "", [] and 0', () => {
    const bare: AppManifest = {
      name: 'x-app',
      owner: 'a@example.com',
      environment: 'sandbox',
      auth: { type: 'saml', provider: 'sso' },
      connectors: [],
    };
    expect(holds('description == ""', bare)).toBe(true);
    expect(holds('template == ""', bare)).toBe(true);
    expect(holds('tags == []', bare)).toBe(true);
    expect(holds('scopes == []', bare)).toBe(true);
    expect(holds('retention_days == 0', bare)).toBe(true);
    expect(holds('logging.level == ""', bare)).toBe(true);
    expect(holds('auth.type == "saml"', bare)).toBe(true);
  });

  it('connectors are ids whether written as text or {id, scopes}; connector_scopes collects the scopes', () => {
    const m = app({ connectors: ['calendar_read', { id: 'wiki_read', scopes: ['read', 'search'] }] });
    expect(holds('connectors == ["calendar_read", "wiki_read"]', m)).toBe(true);
    expect(holds('connector_scopes == ["read", "search"]', m)).toBe(true);
    expect(holds('auth.scopes == scopes', m)).toBe(true);
  });

  it('a connector listed by its bare id grants all its scopes, and connector_scopes says so', () => {
    const bare = app({ connectors: ['drive_files'] });
    expect(holds('connector_scopes == ["files:read", "files:write"]', bare)).toBe(true);
    const narrow = app({ connectors: [{ id: 'drive_files', scopes: ['files:read'] }] });
    expect(holds('connector_scopes == ["files:read"]', narrow)).toBe(true);
    // Widening from the object form to the bare id adds the scopes it now gets.
    expect(holds('change.added_scopes == ["files:write"]', { kind: 'modified', manifest: bare, previous: narrow })).toBe(true);
  });

  it("data_types are the declared ones plus every connector's classification", () => {
    const m = app({ data_types: ['phi'], connectors: ['customer_db_read', 'expense_api_write'] });
    expect(holds('data_types == ["phi", "pii", "financial_write"]', m)).toBe(true);
  });
});

describe('change variables', () => {
  const before = app({ environment: 'sandbox', connectors: ['calendar_read'] });
  const after = app({
    environment: 'production',
    connectors: ['calendar_read', 'customer_db_read'],
    auth: { type: 'oidc', provider: 'company-sso', scopes: ['openid', 'profile', 'email', 'offline_access'] },
  });
  const modified: AppChange = { kind: 'modified', manifest: after, previous: before };

  it('change.kind', () => {
    expect(holds('change.kind == "added"')).toBe(true);
    expect(holds('change.kind == "modified"', modified)).toBe(true);
    expect(holds('change.kind == "removed"', { kind: 'removed', manifest: before })).toBe(true);
  });

  it('change.added_* compare with the base manifest', () => {
    expect(holds('change.added_connectors == ["customer_db_read"]', modified)).toBe(true);
    expect(holds('change.added_scopes == ["offline_access"]', modified)).toBe(true);
    expect(holds('change.added_data_types == ["pii"]', modified)).toBe(true);
    expect(holds('change.previous_environment == "sandbox"', modified)).toBe(true);
  });

  it('for an added app everything is added; for a removal nothing, and there is no previous environment', () => {
    expect(holds('change.added_connectors == ["calendar_read"]')).toBe(true);
    expect(holds('change.previous_environment == ""')).toBe(true);
    expect(holds('change.kind == "removed" and change.added_connectors == []', { kind: 'removed', manifest: after })).toBe(true);
  });
});

describe('when: raw CEL', () => {
  const whenPolicy = (when: string) =>
    `lists:\n  minimal_scopes: [openid]\npolicy:\n  - id: w1\n    name: raw\n    when: '${when}'\n    action: deny\n`;
  const judge = (when: string, manifest = app()) =>
    evaluateChange(loadOk(whenPolicy(when)), { kind: 'added', manifest }, CATALOG, DIRECTORY);

  it('evaluates CEL with the same variables, lists and helper functions', () => {
    expect(judge('size(connectors) == 1 && glob(owner, "*@example.com")').rules).toEqual(['w1']);
    expect(judge('connectors.exists(c, c.startsWith("hr_"))').rules).toEqual([]);
    expect(judge('all_in(scopes, minimal_scopes)').rules).toEqual([]);
    expect(judge('none_in(connectors, preapproved_list)').rules).toEqual([]);
    expect(judge('auth.type == "oidc" && retention_days >= 90').decision).toBe('deny');
    expect(judge('links.exists(l, l.url.startsWith("https://"))', app({ links: [{ title: 'Docs', url: 'https://x' }] })).rules).toEqual([
      'w1',
    ]);
  });
});
