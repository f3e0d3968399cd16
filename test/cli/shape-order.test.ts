/**
 * Issue 10 point 4: schema, then the policy loader's friendly rules. Through `microapps validate`,
 * the loader's plain words reach the user at file:line:column, not the schema's for the same spot.
 */
import { describe, expect, it } from 'vitest';
import { expectValidateShape, type ValidateReport } from '../helpers/contract.js';
import { createSeededRepo, useTempRepos } from '../helpers/git-repo.js';
import { runCli, validate } from '../helpers/run-cli.js';

useTempRepos();

const RULES = `  - id: 900
    name: bare
    conditions:
      - true
    action: deny
  - id: 901
    name: long
    when: 'environment == "${'y'.repeat(4001)}"'
    action: deny
`;

describe('validate: the policy loader words the problems the schema also sees', () => {
  it('bare literal and over-long condition: friendly findings with line and column, no schema finding there', () => {
    const repo = createSeededRepo();
    const policy = `${repo.read('policies/approval.yaml')}${RULES}`;
    repo.write('policies/approval.yaml', policy);
    const lines = policy.split('\n');
    const bareLine = lines.indexOf('      - true') + 1;
    const longLine = lines.findIndex((l) => l.startsWith("    when: 'environment")) + 1;
    const r = validate(repo.dir);
    expect(r.code, r.describe()).toBe(1);
    const findings = expectValidateShape(r.json<ValidateReport>()).findings.filter((f) => f.path === 'policies/approval.yaml');
    expect(findings.find((f) => f.code === 'policy.bare-literal')).toMatchObject({ line: bareLine, column: 9 });
    expect(findings.find((f) => f.code === 'policy.too-long')).toMatchObject({ line: longLine });
    expect(
      findings.filter((f) => f.code.startsWith('schema.')),
      r.describe(),
    ).toEqual([]);
    const text = runCli(['validate', '--root', repo.dir]);
    expect(text.stdout).toContain(`policies/approval.yaml:${bareLine}:9: error: true on its own is not a condition`);
    expect(text.stdout).not.toContain('must be text');
  });

  it('another schema problem in the file stops the loader: then the schema words everything', () => {
    const repo = createSeededRepo();
    repo.write('policies/approval.yaml', `${repo.read('policies/approval.yaml')}${RULES}`.replace('default_action:', 'defalt_action:'));
    const r = validate(repo.dir);
    expect(r.code, r.describe()).toBe(1);
    const codes = expectValidateShape(r.json<ValidateReport>()).findings.map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['schema.unknown-field', 'schema.type', 'schema.size']));
    expect(codes).not.toContain('policy.bare-literal');
  });
});
