/**
 * The Action's merge mode, run as the runner runs it (the committed bundle, a push payload,
 * INPUT_* variables): the merge pushed to the default branch is recorded in the audit log and
 * the audit commit is pushed to the remote; when the remote moved meanwhile, the record is made
 * again on its new head. The key arrives as an input and does not outlive the step.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSeededRepo, isolatedEnv, makeTempDir, useTempRepos, type GitRepo } from '../helpers/git-repo.js';
import { fixture } from '../helpers/paths.js';
import { runAction } from '../helpers/run-action.js';
import { runCli } from '../helpers/run-cli.js';

useTempRepos();

const SANDBOX_APP = 'registry/it/standup-notes-bot.yaml';

/** A registry with the gateway and an audit key, pushed to a bare "origin", as a runner's checkout would see it. */
function checkout(): { repo: GitRepo; origin: string; keyText: string } {
  const repo = createSeededRepo();
  repo.write('policies/provisioners.yaml', 'gateway:\n  enabled: true\n');
  const key = join(makeTempDir('microapps-keys-'), 'audit-key');
  const keygen = runCli(['audit', 'keygen', '--root', repo.dir, '--key-id', 'audit-ci', '--out', key, '--valid-from', '2020-01-01']);
  expect(keygen.code, keygen.describe()).toBe(0);
  repo.commit('provisioners and the audit key');
  const origin = join(makeTempDir('microapps-origin-'), 'registry.git');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', origin], { env: isolatedEnv() });
  repo.git('remote', 'add', 'origin', origin);
  repo.git('push', '-q', 'origin', 'main');
  return { repo, origin, keyText: readFileSync(key, 'utf8') };
}

/** A pull request merged on GitHub: a merge commit on main, pushed to origin. */
function mergeAndPush(repo: GitRepo, branch: string, files: Record<string, string>): { before: string; after: string } {
  const before = repo.sha('main');
  repo.git('checkout', '-q', '-b', branch, 'main');
  repo.writeAll(files);
  repo.commit(`change on ${branch}`);
  repo.git('checkout', '-q', 'main');
  repo.git('merge', '-q', '--no-ff', '--no-edit', branch);
  repo.git('push', '-q', 'origin', 'main');
  return { before, after: repo.sha('main') };
}

/** The step on the push of `after` onto main, as the runner runs it. */
const recordPush = (repo: GitRepo, before: string, after: string, keyText: string, env: NodeJS.ProcessEnv = {}) =>
  runAction({
    repoDir: repo.dir,
    event: 'push',
    base: before,
    head: after,
    inputs: { mode: 'merge', 'audit-key': keyText },
    editPayload: (p) => (p.ref = 'refs/heads/main'),
    env,
  });

const originGit = (origin: string, ...args: string[]) => execFileSync('git', args, { cwd: origin, env: isolatedEnv(), encoding: 'utf8' });

describe('action: mode merge', () => {
  it('records the pushed merge and pushes the audit commit; the key input is removed afterwards', () => {
    const { repo, origin, keyText } = checkout();
    const { before, after } = mergeAndPush(repo, 'add-bot', { [SANDBOX_APP]: fixture('apps/standup-notes-bot.yaml') });
    const runnerTemp = makeTempDir('microapps-runner-temp-');

    const r = recordPush(repo, before, after, keyText, { RUNNER_TEMP: runnerTemp });

    expect(r.code, r.describe()).toBe(0);
    const pushed = originGit(origin, 'rev-parse', 'main').trim();
    expect(r.outputs['audit-commit']).toBe(pushed);
    expect(r.outputs.entries).toBe('1');
    expect(r.outputs['provisioning-failed']).toBe('0');
    expect(originGit(origin, 'rev-parse', 'main^').trim()).toBe(after);
    const log = originGit(origin, 'show', 'main:audit/log.jsonl')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(log).toEqual([expect.objectContaining({ seq: 1, app: 'standup-notes-bot', commit: after, decision: 'auto_approve' })]);
    expect(originGit(origin, 'show', 'main:generated/gateway/kong.yaml')).toContain('standup-notes-bot');
    expect(r.summary).toContain('Recorded 1 audit entry');
    expect(r.stdout).not.toContain('OPENSSH PRIVATE KEY');
    expect(readdirSync(runnerTemp).filter((f) => f.startsWith('microapps-audit-key'))).toEqual([]);
    expect(runCli(['audit', 'verify', '--root', repo.dir]).code).toBe(0);
  });

  it('when the remote moved meanwhile, records again on its new head and pushes a linear history', () => {
    const { repo, origin, keyText } = checkout();
    const { before, after } = mergeAndPush(repo, 'add-bot', { [SANDBOX_APP]: fixture('apps/standup-notes-bot.yaml') });
    // Someone else's merge lands on origin before the step pushes.
    const other = join(makeTempDir('microapps-other-'), 'clone');
    execFileSync('git', ['clone', '-q', origin, other], { env: isolatedEnv() });
    execFileSync('git', ['-c', 'user.name=x', '-c', 'user.email=x@example.com', 'commit', '-q', '--allow-empty', '-m', 'another merge'], {
      cwd: other,
      env: isolatedEnv(),
    });
    execFileSync('git', ['push', '-q', 'origin', 'main'], { cwd: other, env: isolatedEnv() });
    const moved = originGit(origin, 'rev-parse', 'main').trim();

    const r = recordPush(repo, before, after, keyText);

    expect(r.code, r.describe()).toBe(0);
    expect(r.stdout).toContain('The push was refused');
    expect(originGit(origin, 'rev-parse', 'main^').trim(), 'the record sits on the moved head').toBe(moved);
    expect(originGit(origin, 'show', 'main:audit/log.jsonl').trim().split('\n')).toHaveLength(1);
  });

  it('a pull_request event in merge mode fails with a message, and nothing is pushed', () => {
    const { repo, origin, keyText } = checkout();
    const head = originGit(origin, 'rev-parse', 'main').trim();
    const r = runAction({ repoDir: repo.dir, event: 'pull_request', base: head, head, inputs: { mode: 'merge', 'audit-key': keyText } });
    expect(r.code).toBe(1);
    expect(r.annotations('error')[0]!.message).toMatch(/mode "merge" runs on push events/);
    expect(originGit(origin, 'rev-parse', 'main').trim()).toBe(head);
  });
});
