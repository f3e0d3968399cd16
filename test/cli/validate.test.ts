/**
 * `microapps validate`: every governed file of a folder, as it is on disk.
 * JSON contract: { "valid": bool, "findings": [...] }; exit 0 valid, 1 invalid.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectValidateShape, findingWith, type ValidateReport } from '../helpers/contract.js';
import { createSeededRepo, useTempRepos } from '../helpers/git-repo.js';
import { fixture, REPO_ROOT } from '../helpers/paths.js';
import { runCli, validate } from '../helpers/run-cli.js';

useTempRepos();

describe('validate on the shipped repository', () => {
  it('exits 0 with valid: true and no errors (--root resolved from the test location)', () => {
    const r = validate(REPO_ROOT);
    expect(r.code, r.describe()).toBe(0);
    const report = expectValidateShape(r.json<ValidateReport>());
    expect(report.valid, r.describe()).toBe(true);
    expect(
      report.findings.filter((f) => f.severity === 'error'),
      r.describe(),
    ).toEqual([]);
  });

  it('resolves a relative --root against the working directory', () => {
    const r = runCli(['validate', '--root', '..', '--format', 'json'], { cwd: join(REPO_ROOT, 'test') });
    expect(r.code, r.describe()).toBe(0);
    expect(expectValidateShape(r.json<ValidateReport>()).valid).toBe(true);
  });

  it('defaults to the current directory and to text output', () => {
    const r = runCli(['validate'], { cwd: REPO_ROOT });
    expect(r.code, r.describe()).toBe(0);
    expect(r.stdout.trim().length, r.describe()).toBeGreaterThan(0);
    expect(() => JSON.parse(r.stdout), 'text output is not JSON').toThrow();
  });
});

describe('validate on a temporary registry', () => {
  it('accepts the seeded registry plus new valid apps', () => {
    const repo = createSeededRepo();
    repo.write('registry/it/standup-notes-bot.yaml', fixture('apps/standup-notes-bot.yaml'));
    repo.write('registry/hr/team-anniversaries.yaml', fixture('apps/team-anniversaries.yaml'));
    const r = validate(repo.dir);
    expect(r.code, r.describe()).toBe(0);
    expect(expectValidateShape(r.json<ValidateReport>()).valid, r.describe()).toBe(true);
  });

  it('reports a misspelt field with its line and column, and exits 1', () => {
    const repo = createSeededRepo();
    repo.write('registry/it/typo-app.yaml', fixture('apps/malformed/typo-app.yaml'));
    const r = validate(repo.dir);
    expect(r.code, r.describe()).toBe(1);
    const report = expectValidateShape(r.json<ValidateReport>());
    expect(report.valid).toBe(false);
    const f = findingWith(report.findings, 'schema.unknown-field', 'registry/it/typo-app.yaml');
    expect(f).toMatchObject({ severity: 'error', line: 9, column: 1 });
    expect(f.message).toContain('Did you mean "data_types"');
  });

  it("checks the GitHub App's configuration (.github/microapps.yml) like any registry file", () => {
    const repo = createSeededRepo();
    repo.write('.github/microapps.yml', 'check_name: registry gate\nlabels:\n  denny: blocked\n');
    const r = validate(repo.dir);
    expect(r.code, r.describe()).toBe(1);
    const f = findingWith(expectValidateShape(r.json<ValidateReport>()).findings, 'schema.unknown-field', '.github/microapps.yml');
    expect(f).toMatchObject({ severity: 'error', line: 3, column: 3 });
    expect(f.message).toContain('Did you mean "deny"');
    repo.write('.github/microapps.yml', 'check_name: registry gate\napprove_auto_approved: true\n');
    expect(validate(repo.dir).code).toBe(0);
  });

  it('checks policies/provisioners.yaml like any registry file: unknown fields, bad values, twin webhooks', () => {
    const repo = createSeededRepo();
    repo.write('policies/provisioners.yaml', 'gateway:\n  enabled: true\n  outpt: generated/gateway/kong.yaml\n');
    let r = validate(repo.dir);
    expect(r.code, r.describe()).toBe(1);
    let f = findingWith(expectValidateShape(r.json<ValidateReport>()).findings, 'schema.unknown-field', 'policies/provisioners.yaml');
    expect(f).toMatchObject({ severity: 'error', line: 3, column: 3 });
    expect(f.message).toContain('Did you mean "output"');

    repo.write('policies/provisioners.yaml', 'gateway:\n  output: registry/kong.yaml\n');
    r = validate(repo.dir);
    expect(r.code, r.describe()).toBe(1);
    f = findingWith(expectValidateShape(r.json<ValidateReport>()).findings, 'schema.format', 'policies/provisioners.yaml');
    expect(f).toMatchObject({ line: 2, column: 11 });

    const hook = '  - name: broker\n    url: https://hooks.example.com\n    secret_env: BROKER_SECRET\n';
    repo.write('policies/provisioners.yaml', `webhooks:\n${hook}${hook}`);
    r = validate(repo.dir);
    expect(r.code, r.describe()).toBe(1);
    f = findingWith(expectValidateShape(r.json<ValidateReport>()).findings, 'provisioners.duplicate-webhook', 'policies/provisioners.yaml');
    expect(f).toMatchObject({ line: 5, column: 11 });

    repo.write('policies/provisioners.yaml', readFileSync(join(REPO_ROOT, 'policies/provisioners.yaml'), 'utf8'));
    expect(validate(repo.dir).code, 'the shipped sample is valid').toBe(0);
  });

  it('refuses the same app name in two folders', () => {
    const repo = createSeededRepo();
    // The seed has registry/finance/expense-report-dashboard.yaml; a twin in another folder:
    repo.write('registry/it/expense-report-dashboard.yaml', repo.read('registry/finance/expense-report-dashboard.yaml'));
    const r = validate(repo.dir);
    expect(r.code, r.describe()).toBe(1);
    const report = expectValidateShape(r.json<ValidateReport>());
    expect(report.valid).toBe(false);
    const paths = report.findings
      .filter((f) => f.code === 'app.duplicate-name')
      .map((f) => f.path)
      .sort();
    expect(paths, r.describe()).toEqual(['registry/finance/expense-report-dashboard.yaml', 'registry/it/expense-report-dashboard.yaml']);
  });

  it('refuses a symbolic link under registry/ (tree.symlink) without following it', () => {
    const repo = createSeededRepo();
    repo.symlink('../finance/expense-report-dashboard.yaml', 'registry/it/linked-app.yaml');
    const r = validate(repo.dir);
    expect(r.code, r.describe()).toBe(1);
    const report = expectValidateShape(r.json<ValidateReport>());
    expect(report.valid).toBe(false);
    findingWith(report.findings, 'tree.symlink', 'registry/it/linked-app.yaml');
  });

  it('says so when --root has no approval policy', () => {
    const repo = createSeededRepo();
    repo.remove('policies/approval.yaml');
    const r = validate(repo.dir);
    expect(r.code, r.describe()).toBe(1);
    expect(expectValidateShape(r.json<ValidateReport>()).valid).toBe(false);
  });
});
