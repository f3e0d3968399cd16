/** Every problem in a policy file is an error with its line and column, never a silent false. */
import { describe, expect, it } from 'vitest';
import { load, onlyError, policyWith, SEED_POLICY } from './helpers.js';

// policyWith puts the condition on line 5, starting at column 9.
const at = (condition: string) => onlyError(policyWith([condition]));

describe('unknown names', () => {
  it('an unknown variable, with did-you-mean', () => {
    const e = at('enviroment == "sandbox"');
    expect(e).toMatchObject({ code: 'policy.unknown-variable', line: 5, column: 9 });
    expect(e.message).toContain('Did you mean "environment"?');
  });

  it('an unknown variable after other text points at the word itself', () => {
    const e = at('environment == "sandbox" and retention_dayz > 30');
    expect(e).toMatchObject({ code: 'policy.unknown-variable', line: 5, column: 9 + 29 });
    expect(e.message).toContain('Did you mean "retention_days"?');
  });

  it('an unknown list, with did-you-mean', () => {
    const e = at('connectors in preaproved_list');
    expect(e).toMatchObject({ code: 'policy.unknown-list', line: 5, column: 9 + 14 });
    expect(e.message).toContain('Did you mean "preapproved_list"?');
  });

  it("an unknown list suggests the policy's own lists", () => {
    const e = onlyError(policyWith(['scopes subset_of minimal_scope'], 'lists:\n  minimal_scopes: [openid]\n'));
    expect(e).toMatchObject({ code: 'policy.unknown-list', line: 7, column: 9 + 17 });
    expect(e.message).toContain('Did you mean "minimal_scopes"?');
  });

  it('an unquoted value gets a hint to quote it', () => {
    const e = at('environment == sandbox');
    expect(e).toMatchObject({ code: 'policy.unknown-variable', column: 9 + 15 });
    expect(e.message).toContain('put it in double quotes: "sandbox"');
  });

  it('a group of fields is not a value', () => {
    const e = at('auth == "oidc"');
    expect(e.code).toBe('policy.unknown-variable');
    expect(e.message).toContain('auth.type, auth.provider or auth.scopes');
  });
});

describe('type errors', () => {
  it('a number compared with text points at the text', () => {
    const e = at('retention_days > "30"');
    expect(e).toMatchObject({ code: 'policy.type-error', line: 5, column: 9 + 17 });
    expect(e.message).toContain('Write the number without quotes');
  });

  it('text compared with a number', () => {
    expect(at('environment == 1')).toMatchObject({ code: 'policy.type-error', column: 9 + 15 });
  });

  it('include on text, subset_of on text, in with a non-list, matches on a list', () => {
    expect(at('environment include "x"')).toMatchObject({ code: 'policy.type-error', column: 9 });
    expect(at('environment subset_of scopes')).toMatchObject({ code: 'policy.type-error', column: 9 });
    expect(at('environment in owner')).toMatchObject({ code: 'policy.type-error', column: 9 + 15 });
    expect(at('connectors matches "hr_*"')).toMatchObject({ code: 'policy.type-error', column: 9 });
    expect(at('retention_days in scopes')).toMatchObject({ code: 'policy.type-error', column: 9 });
  });

  it('a non-yes/no variable alone is not a condition', () => {
    const e = at('environment');
    expect(e).toMatchObject({ code: 'policy.type-error', column: 9 });
    expect(e.message).toContain('not a yes/no test');
  });
});

describe('syntax errors', () => {
  it('a missing value at the end', () => {
    const e = at('environment ==');
    expect(e).toMatchObject({ code: 'policy.syntax', line: 5, column: 9 + 14 });
  });

  it('an unclosed parenthesis', () => {
    expect(at('(environment == "x"')).toMatchObject({ code: 'policy.syntax', column: 9 + 19 });
  });

  it('symbols from programming languages get a translation', () => {
    const e = at('environment == "x" && retention_days > 3');
    expect(e).toMatchObject({ code: 'policy.syntax', column: 9 + 19 });
    expect(e.message).toContain('write "and" instead');
    expect(at('environment = "x"').message).toContain('write "=="');
  });

  it('a misspelt operator gets did-you-mean', () => {
    const e = at('connectors includes "hr_api_read"');
    expect(e).toMatchObject({ code: 'policy.syntax', column: 9 + 11 });
    expect(e.message).toContain('Did you mean "include"?');
  });

  it('mixing or and and inside one include', () => {
    expect(at('data_types include "a" or "b" and "c"')).toMatchObject({ code: 'policy.syntax', column: 9 + 30 });
  });

  it('decimal numbers and unclosed text', () => {
    expect(at('retention_days > 1.5')).toMatchObject({ code: 'policy.syntax', column: 9 + 17 });
    expect(at('environment == "x')).toMatchObject({ code: 'policy.syntax', column: 9 + 15 });
  });

  it('deep nesting is refused', () => {
    expect(at(`${'('.repeat(40)}environment == "x"${')'.repeat(40)}`).code).toBe('policy.syntax');
  });

  it('an over-long condition is refused', () => {
    expect(at(`environment == "${'x'.repeat(2100)}"`).code).toBe('policy.too-long');
  });
});

describe('bare literals', () => {
  it('true as a condition (a YAML boolean)', () => {
    expect(at('true')).toMatchObject({ code: 'policy.bare-literal', line: 5, column: 9 });
  });

  it('a number as a condition', () => {
    expect(at('1')).toMatchObject({ code: 'policy.bare-literal', line: 5, column: 9 });
  });

  it('a quoted text as a condition points inside the YAML quotes', () => {
    expect(at('"x"')).toMatchObject({ code: 'policy.bare-literal', line: 5, column: 10 });
  });

  it('a literal joined with or', () => {
    const e = at('environment == "sandbox" or "production"');
    expect(e).toMatchObject({ code: 'policy.bare-literal', column: 9 + 28 });
    expect(e.message).toContain('environment in ["sandbox", "production"]');
  });

  it('a comparison of fixed values only', () => {
    expect(at('"a" == "a"')).toMatchObject({ code: 'policy.bare-literal', column: 10 });
    expect(at('not true').code).toBe('policy.bare-literal');
  });
});

describe('columns inside quoted and folded YAML scalars', () => {
  const rule = (conditionYaml: string) =>
    `policy:\n  - id: r0\n    name: rule_0\n    conditions:\n      - ${conditionYaml}\n    action: deny\n`;

  it('double-quoted with escapes', () => {
    const e = onlyError(rule('"environment == \\"sandbox\\" and retention_dayz > 3"'));
    // 9 (start) + 1 (opening quote) + 31 raw characters before the word.
    expect(e).toMatchObject({ code: 'policy.unknown-variable', line: 5, column: 41 });
  });

  it('single-quoted with a doubled quote', () => {
    const e = onlyError(rule(`'owner == ''it'' and enviroment == "x"'`));
    expect(e).toMatchObject({ code: 'policy.unknown-variable', line: 5, column: 9 + 1 + 20 });
  });

  it('a plain scalar folded over two lines', () => {
    const e = onlyError(rule('environment == "x"\n        and enviroment == "y"'));
    expect(e).toMatchObject({ code: 'policy.unknown-variable', line: 6, column: 13 });
  });

  it('without the file text, the column is the start of the condition', () => {
    const { findings } = load(policyWith(['environment == "x" and enviroment == "y"']), { source: false });
    expect(findings).toMatchObject([{ code: 'policy.unknown-variable', line: 5, column: 9 }]);
  });
});

describe('when: (raw CEL) errors', () => {
  const rule = (when: string) => `policy:\n  - id: w\n    name: raw\n    when: ${when}\n    action: deny\n`;

  it('an unknown variable at its column, with did-you-mean', () => {
    const e = onlyError(rule('size(conectors) > 1'));
    expect(e).toMatchObject({ code: 'policy.unknown-variable', line: 4, column: 11 + 5 });
    expect(e.message).toContain('Did you mean "connectors"?');
  });

  it('an unknown field of a group', () => {
    const e = onlyError(rule('auth.typ == "oidc"'));
    expect(e).toMatchObject({ code: 'policy.unknown-variable', line: 4 });
    expect(e.message).toContain('Did you mean "type"?');
  });

  it('a type error', () => {
    expect(onlyError(rule('\'retention_days > "x"\''))).toMatchObject({ code: 'policy.type-error', line: 4 });
  });

  it('a syntax error at its column', () => {
    expect(onlyError(rule('environment == '))).toMatchObject({ code: 'policy.syntax', line: 4 });
    expect(onlyError(rule('environment == "a" &&& true'))).toMatchObject({ code: 'policy.syntax', line: 4 });
  });

  it('an expression that is not yes/no', () => {
    expect(onlyError(rule('environment')).code).toBe('policy.type-error');
  });

  it('a bare literal, alone or in an and', () => {
    expect(onlyError(rule('true'))).toMatchObject({ code: 'policy.bare-literal', column: 11 });
    expect(onlyError(rule('environment == "x" || false'))).toMatchObject({ code: 'policy.bare-literal', column: 11 + 22 });
  });

  it('a block scalar: errors land on the right line', () => {
    const e = onlyError(rule('|\n      environment == "x" &&\n        retention_dayz > 3'));
    expect(e).toMatchObject({ code: 'policy.unknown-variable', line: 6, column: 9 });
  });
});

describe('file shape', () => {
  it('duplicate rule ids (001 and "001" are the same id)', () => {
    const text = `policy:\n  - id: 001\n    name: a\n    conditions: [environment == "x"]\n    action: deny\n  - id: "001"\n    name: b\n    conditions: [environment == "y"]\n    action: deny\n`;
    expect(onlyError(text)).toMatchObject({ code: 'policy.duplicate-rule-id', line: 6, column: 9 });
  });

  it('a duplicate id is reported even when the first rule is broken', () => {
    const text = `policy:\n  - id: a\n    name: a\n    conditions: [enviroment == "x"]\n    action: deny\n  - id: a\n    name: b\n    conditions: [environment == "y"]\n    action: deny\n`;
    expect(load(text).findings.map((f) => [f.code, f.line])).toEqual([
      ['policy.unknown-variable', 4],
      ['policy.duplicate-rule-id', 6],
    ]);
  });

  it('version, $schema and default_action are accepted', () => {
    const { policy, findings } = load(`$schema: ../schemas/policy.schema.json\nversion: 1\ndefault_action: deny\npolicy: []\n`);
    expect(findings).toEqual([]);
    expect(policy).toMatchObject({ default_action: 'deny', default_action_written: true, rules: [] });
  });

  it('unknown fields, with did-you-mean', () => {
    const e = onlyError(
      `policy:\n  - id: a\n    name: a\n    condition: [environment == "x"]\n    action: deny\n`.replace(
        'condition:',
        'conditions: [environment == "x"]\n    condition:',
      ),
    );
    expect(e).toMatchObject({ code: 'policy.unknown-field', line: 5, column: 5 });
    expect(e.message).toContain('Did you mean "conditions"?');
    expect(onlyError(`polcy: []\npolicy: []\n`)).toMatchObject({ code: 'policy.unknown-field', line: 1, column: 1 });
  });

  it('both conditions and when, or neither', () => {
    expect(
      onlyError(`policy:\n  - id: a\n    name: a\n    conditions: [environment == "x"]\n    when: environment == "x"\n    action: deny\n`)
        .code,
    ).toBe('policy.invalid-shape');
    expect(onlyError(`policy:\n  - id: a\n    name: a\n    action: deny\n`).code).toBe('policy.invalid-shape');
  });

  it('an unknown action, with did-you-mean', () => {
    const e = onlyError(`policy:\n  - id: a\n    name: a\n    conditions: [environment == "x"]\n    action: manager_aproval\n`);
    expect(e).toMatchObject({ code: 'policy.invalid-value', line: 5, column: 13 });
    expect(e.message).toContain('Did you mean "manager_approval"?');
  });

  it('a missing policy, a wrong version, a wrong default_action', () => {
    expect(onlyError(`lists: {}\n`).code).toBe('policy.missing-field');
    expect(onlyError(`version: 2\npolicy: []\n`)).toMatchObject({ code: 'policy.invalid-value', line: 1, column: 10 });
    expect(onlyError(`default_action: approve\npolicy: []\n`).code).toBe('policy.invalid-value');
  });

  it('list names may not shadow variables or keywords', () => {
    expect(onlyError(`lists:\n  connectors: [a]\npolicy: []\n`)).toMatchObject({ code: 'policy.invalid-list-name', line: 2, column: 3 });
    expect(onlyError(`lists:\n  include: [a]\npolicy: []\n`).code).toBe('policy.invalid-list-name');
    expect(onlyError(`lists:\n  Bad-Name: [a]\npolicy: []\n`).code).toBe('policy.invalid-list-name');
  });

  it('approvers: only known kinds and fields, valid teams and logins', () => {
    expect(onlyError(`approvers:\n  security: {teams: [acme/sec]}\npolicy: []\n`).code).toBe('policy.unknown-field');
    expect(onlyError(`approvers:\n  security_team_review: {teams: [sec]}\npolicy: []\n`)).toMatchObject({
      code: 'policy.invalid-approver',
      line: 2,
    });
    expect(onlyError(`approvers:\n  governance: {owner_managers: yes}\npolicy: []\n`).code).toBe('policy.invalid-value');
  });

  it('a condition that is not text', () => {
    expect(onlyError(`policy:\n  - id: a\n    name: a\n    conditions: [{environment: x}]\n    action: deny\n`).code).toBe(
      'policy.invalid-shape',
    );
  });

  it('reports every broken rule, not only the first', () => {
    const { policy, findings } = load(policyWith(['enviroment == "x"', 'retention_days > "3"', 'true']));
    expect(policy).toBeUndefined();
    expect(findings.map((f) => [f.code, f.line])).toEqual([
      ['policy.unknown-variable', 5],
      ['policy.type-error', 10],
      ['policy.bare-literal', 15],
    ]);
  });
});

describe('warnings', () => {
  it('a connector id not in the catalog loads, with a did-you-mean warning', () => {
    const { policy, findings } = load(policyWith(['connectors include "hr_api_reed"']));
    expect(policy).toBeDefined();
    expect(findings).toMatchObject([{ severity: 'warning', code: 'policy.unknown-connector', line: 5, column: 9 + 19 }]);
    expect(findings[0]!.message).toContain('Did you mean "hr_api_read"?');
  });

  it('a list of connector ids is checked at the list entry', () => {
    const { findings } = load(policyWith(['connectors in allowed'], 'lists:\n  allowed: [calendar_read, wiki_raed]\n'));
    expect(findings).toMatchObject([{ severity: 'warning', code: 'policy.unknown-connector', line: 2, column: 28 }]);
  });

  it('the seed policy loads without any finding', () => {
    expect(load(SEED_POLICY).findings).toEqual([]);
  });
});

describe('governance_paths', () => {
  it('is the built-in list when left out, and exactly what is written otherwise', async () => {
    const { loadOk } = await import('./helpers.js');
    const { DEFAULT_GOVERNANCE_PATHS } = await import('../../../src/core/tree.js');
    expect(loadOk(policyWith(['environment == "sandbox"'])).governance_paths).toEqual(DEFAULT_GOVERNANCE_PATHS);
    expect(loadOk(policyWith(['environment == "sandbox"'], 'governance_paths: [tools/, Makefile]\n')).governance_paths).toEqual([
      'tools/',
      'Makefile',
    ]);
  });

  for (const [bad, why] of [
    ['/etc/', 'a leading "/"'],
    ['../action/', '".."'],
    ['src/*.ts', 'a pattern'],
    ['a//b', 'an empty folder name'],
    [':(glob)src/', 'git pathspec magic'],
  ] as const) {
    it(`refuses ${why} at its line and column`, () => {
      const e = onlyError(policyWith(['environment == "sandbox"'], `governance_paths: [action/, "${bad}"]\n`));
      expect(e).toMatchObject({ code: 'policy.invalid-governance-path', line: 1, column: 29 });
      expect(e.message).toContain(`"${bad}" is not a path this list can hold`);
    });
  }

  it('must be a list', () => {
    const { findings } = load(policyWith(['environment == "sandbox"'], 'governance_paths: action/\n'));
    expect(findings.some((f) => f.severity === 'error' && f.line === 1)).toBe(true);
  });
});
