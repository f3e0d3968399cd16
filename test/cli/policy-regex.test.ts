/**
 * A base policy's CEL `.matches()` runs on RE2 through the real CLI: a catastrophic pattern
 * cannot hang `check`, and a pattern RE2 refuses is a load error naming the policy's line.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { appAt, expectCheckShape, expectValidateShape, type CheckReport, type ValidateReport } from '../helpers/contract.js';
import { createSeededRepo, openPullRequest, useTempRepos } from '../helpers/git-repo.js';
import { check, validate } from '../helpers/run-cli.js';

useTempRepos();

/** The seeded policy with one more rule, whose `when:` is on the returned line. */
function withRule(repo: ReturnType<typeof createSeededRepo>, when: string): number {
  const policy = readFileSync(repo.path('policies/approval.yaml'), 'utf8');
  repo.write('policies/approval.yaml', `${policy.trimEnd()}\n  - id: "099"\n    name: odd_names\n    when: '${when}'\n    action: deny\n`);
  return policy.trimEnd().split('\n').length + 3;
}

const app = (name: string) =>
  [
    `name: ${name}`,
    'owner: it-platform@example.com',
    'environment: sandbox',
    'auth:',
    '  type: oidc',
    '  provider: company-sso',
    '  scopes: [openid]',
    'connectors: [jira_read_only]',
    '',
  ].join('\n');

describe('CEL regular expressions in the base policy', () => {
  it('check: ^(a+)+$ against a 42-character name returns, and a name it matches is denied', () => {
    const repo = createSeededRepo();
    withRule(repo, 'name.matches("^(a+)+$")');
    repo.commit('policy with a catastrophic pattern');
    const hostile = `${'a'.repeat(40)}-b`;
    const head = openPullRequest(repo, {
      write: { [`registry/it/${hostile}.yaml`]: app(hostile), 'registry/it/aaaaaaaa.yaml': app('aaaaaaaa') },
    });
    const r = check(repo.dir, 'main', head);
    expect(r.code, r.describe()).toBe(1);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(appAt(report, `registry/it/${hostile}.yaml`).decision).toBe('auto_approve');
    expect(appAt(report, 'registry/it/aaaaaaaa.yaml').decision).toBe('deny');
  });

  it("validate: a backreference is policy.regex at the policy's line", () => {
    const repo = createSeededRepo();
    const line = withRule(repo, 'name.matches("^(a)\\\\1$")');
    const r = validate(repo.dir);
    expect(r.code, r.describe()).toBe(1);
    const report = expectValidateShape(r.json<ValidateReport>());
    const f = report.findings.find((x) => x.code === 'policy.regex');
    expect(f, r.describe()).toMatchObject({ path: 'policies/approval.yaml', line, severity: 'error' });
  });
});
