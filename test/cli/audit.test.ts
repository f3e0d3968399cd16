/**
 * `microapps audit keygen` and `microapps audit verify` on real temp git repositories, with keys
 * made by the real ssh-keygen and audit commits signed with git's SSH signing and checked by
 * `git verify-commit` against audit/allowed_signers.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendEntries } from '../../src/core/audit/append.js';
import type { AuditFiles, EntryInput } from '../../src/core/audit/model.js';
import { signerFromOpenSshKey } from '../../src/core/audit/signer.js';
import { createRepo, isolatedEnv, makeTempDir, useTempRepos, type GitRepo } from '../helpers/git-repo.js';
import { runCli } from '../helpers/run-cli.js';

useTempRepos();

const LOG = 'audit/log.jsonl';
const CHECKPOINTS = 'audit/checkpoints.jsonl';

function keygen(repo: GitRepo, keyId: string, ...extra: string[]) {
  const keys = makeTempDir('microapps-keys-');
  const out = join(keys, keyId);
  const result = runCli(['audit', 'keygen', '--root', repo.dir, '--key-id', keyId, '--out', out, ...extra]);
  return { result, out };
}

function verify(repo: GitRepo, ...extra: string[]) {
  return runCli(['audit', 'verify', '--root', repo.dir, ...extra]);
}

const entry = (i: number, time: string): EntryInput => ({
  time,
  event: i % 3 === 0 ? 'removed' : 'registered',
  app: `app-${i}`,
  path: `registry/it/app-${i}.yaml`,
  manifest_hash: i % 3 === 0 ? null : `sha256:${String(i).padStart(64, '0')}`,
  commit: String(i).padStart(40, 'a'),
  decision: 'auto_approve',
  rules: ['001'],
  pull_request: { number: i, author: 'dev', merged_by: 'lead' },
  approvals: [],
  provisioning: [{ provisioner: 'gateway', status: 'applied', idempotency_key: `app-${i}` }],
});

function auditFiles(repo: GitRepo): AuditFiles {
  const read = (path: string) => (repo.exists(path) ? repo.read(path) : '');
  const keys = new Map<string, string>();
  for (const name of repo.git('ls-files', '--others', '--cached', 'audit/keys').split('\n').filter(Boolean))
    keys.set(name, repo.read(name));
  return { log: read(LOG), checkpoints: read(CHECKPOINTS), keys, allowedSigners: read('audit/allowed_signers') };
}

/** Appends `batches` (one checkpoint each) with the private key at `keyFile`, as `apply` will. */
function append(repo: GitRepo, keyFile: string, batches: number[]): void {
  const signer = signerFromOpenSshKey(readFileSync(keyFile, 'utf8'), { source: keyFile }).value!;
  let files = auditFiles(repo);
  let n = files.log.split('\n').length - 1;
  for (const size of batches) {
    const now = new Date(Date.now() + n * 1000).toISOString();
    const result = appendEntries(
      files,
      Array.from({ length: size }, () => entry(++n, now)),
      signer,
      now,
    );
    if (!result.value) throw new Error(JSON.stringify(result.problems));
    files = result.value.files;
  }
  repo.write(LOG, files.log).write(CHECKPOINTS, files.checkpoints);
}

/** A commit signed with git's SSH signing by the audit key, as the audit operator makes it. */
function signedCommit(repo: GitRepo, keyFile: string, message: string): void {
  repo.git('add', '-A');
  execFileSync('git', ['-c', 'gpg.format=ssh', '-c', `user.signingkey=${keyFile}`, 'commit', '-q', '-S', '--no-verify', '-m', message], {
    cwd: repo.dir,
    env: isolatedEnv({ GIT_COMMITTER_EMAIL: 'audit@microapps.invalid', GIT_COMMITTER_NAME: 'microapps audit' }),
    stdio: 'pipe',
  });
}

function verifyCommit(repo: GitRepo): { ok: boolean; output: string } {
  const result = spawnSync('git', ['-c', 'gpg.ssh.allowedSignersFile=audit/allowed_signers', 'verify-commit', 'HEAD'], {
    cwd: repo.dir,
    env: isolatedEnv(),
    encoding: 'utf8',
  });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

describe('audit keygen', () => {
  it('writes the private key outside the repository (0600) and registers the public key, committing nothing', () => {
    const repo = createRepo({ 'README.md': 'registry\n' });
    const { result, out } = keygen(repo, 'audit-2025', '--valid-from', '2025-01-01', '--valid-until', '2027-12-31T23:59:59Z');
    expect(result.code, result.describe()).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, 'utf8')).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----/);
    const key = JSON.parse(repo.read('audit/keys/audit-2025.json'));
    expect(key).toEqual({
      key_id: 'audit-2025',
      algorithm: 'ssh-ed25519',
      public_key: readFileSync(`${out}.pub`, 'utf8').trim(),
      valid_from: '2025-01-01T00:00:00Z',
      valid_until: '2027-12-31T23:59:59Z',
    });
    expect(repo.read('audit/allowed_signers')).toBe(
      `audit@microapps.invalid namespaces="git",valid-after="20250101000000Z",valid-before="20271231235959Z" ${key.public_key.split(' ').slice(0, 2).join(' ')}\n`,
    );
    expect(result.stdout).toContain('Nothing was committed. The audit operator commits these two files directly on the default branch');
    expect(result.stdout).toContain('check denies any pull request that touches audit/');
    expect(repo.git('status', '--porcelain')).toBe('?? audit/\n');
    expect(repo.git('log', '--format=%s')).toBe('base\n');
    expect(verify(repo).code).toBe(0);
  });

  it('adds a second key to allowed_signers, keeping the first', () => {
    const repo = createRepo({ 'README.md': 'registry\n' });
    keygen(repo, 'audit-2025');
    const { result } = keygen(repo, 'audit-2026', '--format', 'json');
    expect(result.code, result.describe()).toBe(0);
    expect(result.json()).toMatchObject({ key: { key_id: 'audit-2026', valid_until: null }, key_file: 'audit/keys/audit-2026.json' });
    expect(repo.read('audit/allowed_signers').split('\n').filter(Boolean)).toHaveLength(2);
    expect(verify(repo).code).toBe(0);
  });

  it('refuses a private key inside the repository, an existing file, a registered key id and bad options', () => {
    const repo = createRepo({ 'README.md': 'registry\n' });
    const inside = runCli(['audit', 'keygen', '--root', repo.dir, '--key-id', 'k1', '--out', repo.path('keys/k1')]);
    expect(inside.code).toBe(2);
    repo.write('keys/.keep', '');
    const inside2 = runCli(['audit', 'keygen', '--root', repo.dir, '--key-id', 'k1', '--out', repo.path('keys/k1')]);
    expect(inside2.code).toBe(2);
    expect(inside2.stderr).toContain('is inside the repository');
    expect(repo.exists('keys/k1')).toBe(false);

    const { out } = keygen(repo, 'k1');
    const again = runCli(['audit', 'keygen', '--root', repo.dir, '--key-id', 'k2', '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('exists already: refusing to overwrite a key');
    const sameId = keygen(repo, 'k1').result;
    expect(sameId.code).toBe(2);
    expect(sameId.stderr).toContain('key "k1" is already registered (audit/keys/k1.json)');

    const bad = (args: string[], message: string) => {
      const r = runCli(['audit', 'keygen', '--root', repo.dir, ...args]);
      expect(r.code, r.describe()).toBe(2);
      expect(r.stderr).toContain(message);
    };
    const elsewhere = join(makeTempDir(), 'k');
    bad(['--out', elsewhere], 'audit keygen needs --key-id ID');
    bad(['--key-id', 'k3'], 'audit keygen needs --out FILE');
    bad(['--key-id', 'K_3', '--out', elsewhere], '--key-id "K_3" is not a key id');
    bad(['--key-id', 'k3', '--out', elsewhere, '--valid-from', 'tomorrow'], '--valid-from "tomorrow" is not a date');
    bad(['--key-id', 'k3', '--out', elsewhere, '--valid-from', '2025-01-01', '--valid-until', '2024-01-01'], 'must be after --valid-from');
    bad(['--key-id', 'k3', '--out', join(makeTempDir(), 'missing', 'k')], 'does not exist');
    bad(['--key-id', 'k3', '--out', elsewhere, '--checkpoint', 'x'], '--checkpoint is an option of audit verify');
  });
});

describe('audit verify', () => {
  it('an absent or empty log verifies as empty', () => {
    const repo = createRepo({ 'README.md': 'registry\n' });
    const absent = verify(repo);
    expect(absent.code, absent.describe()).toBe(0);
    expect(absent.stdout).toBe('The audit log is empty: no entries, no checkpoints (audit/log.jsonl does not exist).\n');
    repo.write(LOG, '').write(CHECKPOINTS, '');
    expect(verify(repo).stdout).toBe('The audit log is empty: no entries, no checkpoints (audit/log.jsonl is empty).\n');
    expect(verify(repo, '--format', 'json').json()).toEqual({
      ok: true,
      entries: 0,
      checkpoints: 0,
      tree_size: 0,
      root_hash: null,
      last_checkpoint: null,
      consistency: null,
      problems: [],
    });
  });

  it('an intact log in SSH-signed commits: verify passes and git verify-commit accepts the audit key', () => {
    const repo = createRepo({ 'README.md': 'registry\n' });
    const { out } = keygen(repo, 'audit-2025', '--valid-from', '2025-01-01');
    repo.commit('audit: register key audit-2025');
    append(repo, out, [2, 1, 3]);
    signedCommit(repo, out, 'audit: 6 entries');
    const signature = verifyCommit(repo);
    expect(signature.ok, signature.output).toBe(true);
    expect(signature.output).toContain('Good "git" signature for audit@microapps.invalid with ED25519 key');

    const result = verify(repo);
    expect(result.code, result.describe()).toBe(0);
    const last = JSON.parse(repo.read(CHECKPOINTS).trim().split('\n').pop()!);
    expect(result.stdout).toBe(
      [
        'The audit log is intact: 6 entries, 3 checkpoints; every entry is in order, chained, and signed.',
        `Last checkpoint: 6 entries, root ${last.root_hash}, signed by key "audit-2025" at ${last.time}.`,
        'Keep the last line of audit/checkpoints.jsonl outside the repository; next time, verify with --checkpoint FILE to prove the log still extends it.',
        '',
      ].join('\n'),
    );
    expect(verify(repo, '--format', 'json').json()).toMatchObject({
      ok: true,
      entries: 6,
      checkpoints: 3,
      tree_size: 6,
      root_hash: last.root_hash,
      last_checkpoint: last,
      problems: [],
    });
  });

  it("a commit signed outside the key's window is refused by git verify-commit", () => {
    const repo = createRepo({ 'README.md': 'registry\n' });
    const { out } = keygen(repo, 'expired', '--valid-from', '2020-01-01', '--valid-until', '2020-12-31');
    signedCommit(repo, out, 'audit: register an expired key');
    const signature = verifyCommit(repo);
    expect(signature.ok).toBe(false);
    expect(signature.output).toContain('audit/allowed_signers:1: key has expired');
  });

  it('a changed entry: exit 1, naming the first bad entry', () => {
    const repo = createRepo({ 'README.md': 'registry\n' });
    const { out } = keygen(repo, 'audit-2025', '--valid-from', '2025-01-01');
    append(repo, out, [2, 2]);
    repo.write(LOG, repo.read(LOG).replace('"app":"app-2"', '"app":"app-9"'));
    const result = verify(repo);
    expect(result.code, result.describe()).toBe(1);
    expect(result.stdout.split('\n').slice(0, 3)).toEqual([
      'The audit log is NOT intact (4 entries, 2 checkpoints).',
      'First bad entry: audit/log.jsonl:2: entry 2 does not match its hash: its content was changed after it was written [audit.entry-hash]',
      'Other problems:',
    ]);
    expect(result.stdout).toContain(
      "  audit/checkpoints.jsonl:1 (from entry 1): checkpoint line 1: the log's first 2 entries do not have the Merkle root this checkpoint signed",
    );
    const json = verify(repo, '--format', 'json').json();
    expect(json.ok).toBe(false);
    expect(json.problems[0]).toEqual({
      code: 'audit.entry-hash',
      path: LOG,
      line: 2,
      seq: 2,
      message: 'entry 2 does not match its hash: its content was changed after it was written',
    });
  });

  it('--checkpoint: a kept checkpoint catches the removal of the last append, which the files alone do not show', () => {
    const repo = createRepo({ 'README.md': 'registry\n' });
    const { out } = keygen(repo, 'audit-2025', '--valid-from', '2025-01-01');
    append(repo, out, [2, 3]);
    const kept = join(makeTempDir(), 'kept-checkpoint.json');
    writeFileSync(kept, `${repo.read(CHECKPOINTS).trim().split('\n').pop()}\n`);
    const fine = verify(repo, '--checkpoint', kept, '--format', 'json');
    expect(fine.code, fine.describe()).toBe(0);
    expect(fine.json().consistency).toMatchObject({ from_size: 5, to_size: 5, proof: [] });

    // The last append (3 entries and its checkpoint) removed.
    repo.write(LOG, `${repo.read(LOG).split('\n').slice(0, 2).join('\n')}\n`);
    repo.write(CHECKPOINTS, `${repo.read(CHECKPOINTS).split('\n')[0]}\n`);
    expect(verify(repo).code).toBe(0);
    const caught = verify(repo, '--checkpoint', kept);
    expect(caught.code, caught.describe()).toBe(1);
    expect(caught.stdout).toContain('First bad entry: audit/log.jsonl:3: entries 3 to 5 are missing: the checkpoint you kept (');
  });

  it('--checkpoint with a later log: the consistency proof is printed', () => {
    const repo = createRepo({ 'README.md': 'registry\n' });
    const { out } = keygen(repo, 'audit-2025', '--valid-from', '2025-01-01');
    append(repo, out, [3]);
    const kept = join(makeTempDir(), 'kept.json');
    writeFileSync(kept, JSON.stringify(JSON.parse(repo.read(CHECKPOINTS)), null, 2)); // any JSON formatting
    append(repo, out, [2, 2]);
    const result = verify(repo, '--checkpoint', kept, '--format', 'json');
    expect(result.code, result.describe()).toBe(0);
    const c = result.json().consistency;
    expect(c).toMatchObject({ from_size: 3, to_size: 7 });
    expect(c.proof.length).toBeGreaterThan(0);
    expect(verify(repo, '--checkpoint', kept).stdout).toContain(
      `It extends the checkpoint you kept (${kept}): 3 entries then, 7 now; nothing was removed or rewritten.`,
    );
  });

  it('a kept checkpoint that is missing or not a checkpoint is a usage error', () => {
    const repo = createRepo({ 'README.md': 'registry\n' });
    const missing = verify(repo, '--checkpoint', join(makeTempDir(), 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
    const junk = join(makeTempDir(), 'junk.json');
    writeFileSync(junk, '{"tree_size": 3}');
    const bad = verify(repo, '--checkpoint', junk);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      `--checkpoint ${junk}: it is not a checkpoint: missing field "v" (keep a line of audit/checkpoints.jsonl)`,
    );
  });

  it('symbolic links among the audit files are refused, not followed', () => {
    const repo = createRepo({ 'README.md': 'registry\n' });
    const { out } = keygen(repo, 'audit-2025', '--valid-from', '2025-01-01');
    append(repo, out, [1]);
    const elsewhere = join(makeTempDir(), 'log.jsonl');
    writeFileSync(elsewhere, repo.read(LOG));
    repo.remove(LOG);
    symlinkSync(elsewhere, repo.path(LOG));
    const result = verify(repo);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      [
        'The audit log is NOT intact (0 entries, 0 checkpoints).',
        'First problem: audit/log.jsonl: audit/log.jsonl is not a regular file (a symbolic link or a folder): audit files are plain files [audit.not-a-file]',
        '',
      ].join('\n'),
    );
  });

  it('a symbolic link in place of the audit folder is refused too', () => {
    const repo = createRepo({ 'README.md': 'registry\n' });
    const elsewhere = makeTempDir();
    symlinkSync(elsewhere, repo.path('audit'));
    const result = verify(repo);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('First problem: audit: audit is not a folder (a symbolic link or a file)');
  });

  it('usage errors', () => {
    const repo = createRepo({ 'README.md': 'registry\n' });
    const usage = (args: string[], message: string) => {
      const r = runCli(args);
      expect(r.code, r.describe()).toBe(2);
      expect(r.stderr).toContain(message);
    };
    usage(['audit', '--root', repo.dir], 'audit needs a command: keygen or verify');
    usage(['audit', 'verify', 'extra', '--root', repo.dir], 'audit verify takes no further arguments');
    usage(['audit', 'verify', '--key-id', 'k', '--root', repo.dir], 'are options of audit keygen, not of audit verify');
    usage(['audit', 'verify', '--format', 'markdown', '--root', repo.dir], '--format must be one of text, json for audit');
    usage(['check', '--base', 'main', '--checkpoint', 'x', '--root', repo.dir], '--checkpoint is an option of audit, not check');
    expect(runCli(['--help']).stdout).toContain('microapps audit verify [--checkpoint FILE]');
  });
});
