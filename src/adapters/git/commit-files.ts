/**
 * Writes files onto a branch as one new commit without touching the working tree or the
 * repository's index, and moves the branch only if it still points where the caller read it
 * (`git update-ref <ref> <new> <expected>`, a compare-and-swap). Two writers racing for the
 * same branch therefore never lose each other's work: the loser is told the branch moved and
 * redoes its whole read-modify-write on the new head (see commitWithRetry).
 *
 * The commit is signed with git's SSH signing when the repository is configured for it
 * (`gpg.format ssh`) and a key is given: `git commit-tree -S` with that key. A key given as
 * text (a secret store's value) is written for git to a file readable by this user only, in
 * the commit's private scratch folder, and removed with it when the commit is made.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceError } from '../../core/errors.js';
import { runGit } from './run-git.js';
import { compareCodeUnits } from '../../core/order.js';

export interface Identity {
  name: string;
  email: string;
}

export interface CommitFilesRequest {
  /** The branch to move, e.g. "main" (refs/heads/ is added). */
  branch: string;
  /** The commit the change was computed on: the new commit's parent. */
  parent: string;
  /** Path -> new bytes, or null to delete the file. */
  files: ReadonlyMap<string, Uint8Array | string | null>;
  message: string;
  committer: Identity;
  /** Sign with this SSH private key (a path, or the key's text) when the repository's gpg.format is ssh. */
  signingKey?: string | { text: string };
}

export type CommitFilesResult = { status: 'committed'; commit: string; signed: boolean } | { status: 'moved'; actual: string };

export async function commitFiles(repoDir: string, request: CommitFilesRequest): Promise<CommitFilesResult> {
  const ref = `refs/heads/${request.branch}`;
  const scratch = mkdtempSync(join(tmpdir(), 'microapps-commit-'));
  // A private index: the user's index and working tree are never touched.
  const env = { GIT_INDEX_FILE: join(scratch, 'index') };
  try {
    await git(repoDir, ['read-tree', request.parent], env);
    for (const [path, content] of [...request.files].sort(([a], [b]) => compareCodeUnits(a, b))) {
      if (content === null) {
        await git(repoDir, ['update-index', '--force-remove', '--', path], env);
        continue;
      }
      const blob = (
        await git(repoDir, ['hash-object', '-w', '--stdin'], env, typeof content === 'string' ? content : Buffer.from(content))
      ).trim();
      await git(repoDir, ['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`], env);
    }
    const tree = (await git(repoDir, ['write-tree'], env)).trim();
    const sign = request.signingKey !== undefined && (await sshSigningConfigured(repoDir));
    const who = {
      GIT_AUTHOR_NAME: request.committer.name,
      GIT_AUTHOR_EMAIL: request.committer.email,
      GIT_COMMITTER_NAME: request.committer.name,
      GIT_COMMITTER_EMAIL: request.committer.email,
    };
    const signArgs = sign ? ['-c', `user.signingkey=${keyPath(scratch, request.signingKey!)}`] : [];
    const commit = (
      await git(
        repoDir,
        [...signArgs, 'commit-tree', tree, '-p', request.parent, ...(sign ? ['-S'] : []), '-F', '-'],
        { ...env, ...who },
        request.message,
      )
    ).trim();
    const moved = await runGit(repoDir, ['update-ref', ref, commit, request.parent]);
    if (moved.code !== 0) {
      const actual = await runGit(repoDir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
      return { status: 'moved', actual: actual.stdout.toString('utf8').trim() };
    }
    return { status: 'committed', commit, signed: sign };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The signing key as a path git can read: a key given as text goes to a 0600 file in the scratch folder. */
function keyPath(scratch: string, key: string | { text: string }): string {
  if (typeof key === 'string') return key;
  const path = join(scratch, 'signing-key');
  writeFileSync(path, key.text.endsWith('\n') ? key.text : `${key.text}\n`, { mode: 0o600 });
  return path;
}

/** True when the repository signs with SSH keys (`git config gpg.format` is ssh). */
export async function sshSigningConfigured(repoDir: string): Promise<boolean> {
  const result = await runGit(repoDir, ['config', '--get', 'gpg.format']);
  return result.code === 0 && result.stdout.toString('utf8').trim() === 'ssh';
}

async function git(cwd: string, args: readonly string[], env: Record<string, string>, input?: string | Buffer): Promise<string> {
  const result = await runGit(cwd, args, input, env);
  if (result.code !== 0)
    throw new SourceError(
      `git ${args.find((a) => !a.startsWith('-') && !a.includes('=')) ?? args[0]} failed: ${result.stderr.trim().split('\n')[0] ?? 'unknown error'}`,
    );
  return result.stdout.toString('utf8');
}
