/**
 * `microapps test`: the declarative policy tests under policies/tests/ (a manifest and the
 * decision it must get). Exit 0 when all pass, 1 when any fails.
 */
import { describe, expect, it } from 'vitest';
import { createSeededRepo, useTempRepos } from '../helpers/git-repo.js';
import { fixture, REPO_ROOT } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';

useTempRepos();

describe('microapps test', () => {
  it('passes on the shipped repository, exit 0', () => {
    const r = runCli(['test', '--root', REPO_ROOT]);
    expect(r.code, r.describe()).toBe(0);
  });

  it('passes on the shipped repository with --format json, and prints JSON alone', () => {
    const r = runCli(['test', '--root', REPO_ROOT, '--format', 'json']);
    expect(r.code, r.describe()).toBe(0);
    expect(() => r.json()).not.toThrow();
  });

  it('passes on a temporary copy of the shipped policy and its tests (control for the next test)', () => {
    const repo = createSeededRepo();
    const r = runCli(['test', '--root', repo.dir]);
    expect(r.code, r.describe()).toBe(0);
  });

  it('fails, exit 1, naming the test, when a test expects the wrong decision', () => {
    const repo = createSeededRepo();
    repo.write('policies/tests/wrong-expectation.yaml', fixture('policy-tests/wrong-expectation.yaml'));
    const r = runCli(['test', '--root', repo.dir]);
    expect(r.code, r.describe()).toBe(1);
    expect(`${r.stdout}\n${r.stderr}`, r.describe()).toContain('wrong-expectation');
  });

  it('fails, exit 1, when the policy changes under its tests', () => {
    const repo = createSeededRepo();
    // Rule 001 now requires production: the shipped sandbox-auto-approve test must fail.
    const policy = repo.read('policies/approval.yaml');
    const changed = policy.replace(
      /(name: auto_approve_sandbox\n\s+conditions:\n\s+- )environment == "sandbox"/,
      '$1environment == "production"',
    );
    expect(changed).not.toEqual(policy);
    repo.write('policies/approval.yaml', changed);
    const r = runCli(['test', '--root', repo.dir]);
    expect(r.code, r.describe()).toBe(1);
    expect(`${r.stdout}\n${r.stderr}`, r.describe()).toContain('sandbox-auto-approve');
  });
});
