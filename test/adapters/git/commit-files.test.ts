/**
 * commitFiles: one new commit on a branch from a private index (the working tree and the
 * user's index are untouched), moved only by compare-and-swap, and signed with git's SSH
 * signing when the repository is configured for it (checked with `git verify-commit`).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitFiles } from '../../../src/adapters/git/commit-files.js';
import { createRepo, makeTempDir, useTempRepos } from '../../helpers/git-repo.js';

useTempRepos();

const committer = { name: 'microapps audit', email: 'audit@microapps.invalid' };

describe('commitFiles', () => {
  it('adds, changes and deletes files in one commit on the branch; the working tree and index stay as they were', async () => {
    const repo = createRepo({ 'a.txt': 'a\n', 'gone.txt': 'bye\n' });
    const parent = repo.sha('main');
    repo.write('local-edit.txt', 'not committed\n');

    const result = await commitFiles(repo.dir, {
      branch: 'main',
      parent,
      files: new Map<string, string | null>([
        ['audit/log.jsonl', '{"seq":1}\n'],
        ['a.txt', 'A\n'],
        ['gone.txt', null],
      ]),
      message: 'audit: 1 entry',
      committer,
    });

    expect(result).toMatchObject({ status: 'committed', signed: false });
    const commit = (result as { commit: string }).commit;
    expect(repo.sha('main')).toBe(commit);
    expect(repo.git('rev-parse', `${commit}^`).trim()).toBe(parent);
    expect(repo.git('show', `${commit}:audit/log.jsonl`)).toBe('{"seq":1}\n');
    expect(repo.git('show', `${commit}:a.txt`)).toBe('A\n');
    expect(repo.git('ls-tree', '--name-only', commit).split('\n')).not.toContain('gone.txt');
    expect(repo.git('log', '-1', '--format=%cn <%ce>|%s', commit).trim()).toBe('microapps audit <audit@microapps.invalid>|audit: 1 entry');
    expect(repo.read('a.txt'), 'the working tree is not touched').toBe('a\n');
    expect(repo.exists('gone.txt')).toBe(true);
    expect(repo.exists('audit/log.jsonl')).toBe(false);
    expect(repo.read('local-edit.txt')).toBe('not committed\n');
    const staged = (path: string) => repo.git('ls-files', '--stage', '--', path).split(/\s+/)[1];
    expect(staged('a.txt'), 'the index is not touched').toBe(repo.git('rev-parse', `${parent}:a.txt`).trim());
    expect(staged('audit/log.jsonl')).toBeUndefined();
  });

  it('does not move a branch that moved since it was read, and says where it is now', async () => {
    const repo = createRepo({ 'a.txt': 'a\n' });
    const parent = repo.sha('main');
    repo.write('b.txt', 'b\n');
    const someoneElse = repo.commit('someone else merged first');

    const result = await commitFiles(repo.dir, { branch: 'main', parent, files: new Map([['x', 'x']]), message: 'late', committer });

    expect(result).toEqual({ status: 'moved', actual: someoneElse });
    expect(repo.sha('main')).toBe(someoneElse);
  });

  it('signs with the SSH key when gpg.format is ssh; git verify-commit accepts it with the allowed signers', async () => {
    const repo = createRepo({ 'a.txt': 'a\n' });
    const keys = makeTempDir('microapps-keys-');
    const key = join(keys, 'audit_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'audit-2026', '-f', key]);
    const publicKey = execFileSync('cat', [`${key}.pub`])
      .toString()
      .trim();
    repo.write('allowed_signers', `${committer.email} namespaces="git" ${publicKey}\n`);
    const parent = repo.commit('allowed signers');
    repo.git('config', 'gpg.format', 'ssh');
    repo.git('config', 'gpg.ssh.allowedSignersFile', repo.path('allowed_signers'));

    const result = await commitFiles(repo.dir, {
      branch: 'main',
      parent,
      files: new Map([['audit/log.jsonl', '{}\n']]),
      message: 'signed',
      committer,
      signingKey: key,
    });

    expect(result).toMatchObject({ status: 'committed', signed: true });
    const commit = (result as { commit: string }).commit;
    const verify = execFileSync('git', ['verify-commit', '--raw', commit], { cwd: repo.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    expect(verify).toBeDefined();
    expect(repo.git('log', '-1', '--format=%G?', commit).trim()).toBe('G');
    // Unsigned when the repository is not configured for SSH signing, even with a key.
    repo.git('config', '--unset', 'gpg.format');
    const plain = await commitFiles(repo.dir, {
      branch: 'main',
      parent: commit,
      files: new Map([['b', 'b']]),
      message: 'plain',
      committer,
      signingKey: key,
    });
    expect(plain).toMatchObject({ status: 'committed', signed: false });
  });
});
