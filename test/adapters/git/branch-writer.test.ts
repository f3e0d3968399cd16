/**
 * The git branch writer against real repositories: the tip, whether a commit is on the branch,
 * a commit under the registry's folder, a concurrent commit making it `moved` (nothing written),
 * and SSH signing with a key given as text (its temporary file is gone afterwards).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { GitBranchWriter } from '../../../src/adapters/git/branch-writer.js';
import { createRepo, makeTempDir, useTempRepos } from '../../helpers/git-repo.js';

useTempRepos();

const committer = { name: 'microapps audit', email: 'audit@microapps.invalid' };
const message = { headline: 'audit: record 1 app change', body: 'Microapps-Audit-Of: x' };

describe('GitBranchWriter', () => {
  it('reads the tip, knows what is on the branch, and commits under the registry folder on the expected head', async () => {
    const repo = createRepo({ 'a.txt': 'a\n' });
    const first = repo.sha('main');
    repo.write('b.txt', 'b\n');
    const second = repo.commit('b');
    repo.git('branch', 'side', first);
    repo.git('checkout', '-q', 'side');
    repo.write('c.txt', 'c\n');
    const beside = repo.commit('c');
    repo.git('checkout', '-q', 'main');
    const writer = new GitBranchWriter(repo.dir, 'main', { prefix: 'governance/', committer });

    expect(await writer.head()).toBe(second);
    expect(await writer.contains(second, first)).toBe(true);
    expect(await writer.contains(second, second)).toBe(true);
    expect(await writer.contains(second, beside)).toBe(false);

    const result = await writer.commit(new Map([['audit/log.jsonl', '{"seq":1}\n']]), { expectedHead: second, message });

    expect(result).toMatchObject({ kind: 'committed', signed: false });
    const sha = (result as { sha: string }).sha;
    expect(repo.sha('main')).toBe(sha);
    expect(repo.git('rev-parse', `${sha}^`).trim()).toBe(second);
    expect(repo.git('show', `${sha}:governance/audit/log.jsonl`)).toBe('{"seq":1}\n');
    expect(repo.git('log', '-1', '--format=%s%n%n%b', sha).trim()).toBe(`${message.headline}\n\n${message.body}`);
    expect(repo.read('governance/audit/log.jsonl'), 'the checked-out branch follows').toBe('{"seq":1}\n');
  });

  it('a commit that landed meanwhile makes it "moved", with the new tip; nothing is written', async () => {
    const repo = createRepo({ 'a.txt': 'a\n' });
    const read = repo.sha('main');
    const writer = new GitBranchWriter(repo.dir, 'main', { prefix: '', committer });
    repo.write('other.txt', 'another writer\n');
    const landed = repo.commit('someone else');

    const result = await writer.commit(new Map([['audit/log.jsonl', '{}\n']]), { expectedHead: read, message });

    expect(result).toEqual({ kind: 'moved', head: landed, detail: `main points to ${landed.slice(0, 7)} now` });
    expect(repo.sha('main')).toBe(landed);
  });

  it('a missing branch is named', async () => {
    const repo = createRepo({ 'a.txt': 'a\n' });
    await expect(new GitBranchWriter(repo.dir, 'nowhere', { prefix: '', committer }).head()).rejects.toThrow(
      'there is no branch "nowhere" to record the merge on',
    );
  });

  it('signs with a key given as text; its temporary file is removed', async () => {
    const repo = createRepo({ 'a.txt': 'a\n' });
    const keys = makeTempDir('microapps-keys-');
    const key = join(keys, 'audit_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'audit-2026', '-f', key]);
    repo.write('allowed_signers', `${committer.email} namespaces="git" ${readFileSync(`${key}.pub`, 'utf8').trim()}\n`);
    const parent = repo.commit('allowed signers');
    repo.git('config', 'gpg.format', 'ssh');
    repo.git('config', 'gpg.ssh.allowedSignersFile', repo.path('allowed_signers'));
    const temp = makeTempDir('microapps-tmp-');
    vi.stubEnv('TMPDIR', temp);
    try {
      const writer = new GitBranchWriter(repo.dir, 'main', { prefix: '', committer, signingKey: { text: readFileSync(key, 'utf8') } });
      const result = await writer.commit(new Map([['audit/log.jsonl', '{}\n']]), { expectedHead: parent, message });
      expect(result).toMatchObject({ kind: 'committed', signed: true });
      expect(repo.git('log', '-1', '--format=%G?', (result as { sha: string }).sha).trim()).toBe('G');
      expect(readdirSync(temp), 'no key file is left behind').toEqual([]);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
