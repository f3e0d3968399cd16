/**
 * The git failures a user meets, in real repositories in temp folders: each is thrown as its
 * type with its fields (core/errors.ts), and the CLI and the Action say the same words as
 * before, chosen by the type.
 */
import { describe, expect, it } from 'vitest';
import { judgePullRequest } from '../../../src/action/run.js';
import { CommitNotInCheckoutError, NotAGitRepositoryError, RefNotFoundError, SourceError } from '../../../src/core/errors.js';
import { checkGitChange } from '../../../src/pipeline/check-git-change.js';
import { createSeededRepo, makeTempDir, openPullRequest, useTempRepos } from '../../helpers/git-repo.js';
import { fixture } from '../../helpers/paths.js';
import { runCli } from '../../helpers/run-cli.js';

useTempRepos();

const MISSING = '0123456789abcdef0123456789abcdef01234567';

async function failureOf(work: Promise<unknown>): Promise<unknown> {
  const outcome = await work.then(
    () => 'no error',
    (e: unknown) => e,
  );
  expect(outcome, 'the call fails').not.toBe('no error');
  return outcome;
}

describe('a git ref that is not in the repository', () => {
  it('is a RefNotFoundError naming the ref, for the base and for the head', async () => {
    const repo = createSeededRepo();
    const base = await failureOf(checkGitChange(repo.dir, 'origin/nope'));
    expect(base).toBeInstanceOf(RefNotFoundError);
    expect(base).toBeInstanceOf(SourceError);
    expect(base).toMatchObject({ kind: 'ref-not-found', name: 'RefNotFoundError', ref: 'origin/nope' });

    const head = await failureOf(checkGitChange(repo.dir, 'main', 'feature/nope'));
    expect(head).toMatchObject({ kind: 'ref-not-found', ref: 'feature/nope' });
  });

  it('the CLI says so in one line and exits 2, as before', () => {
    const repo = createSeededRepo();
    const r = runCli(['check', '--root', repo.dir, '--base', 'origin/nope']);
    expect(r.code, r.describe()).toBe(2);
    expect(r.stderr).toBe(
      'microapps: the git ref "origin/nope" was not found. Fetch it first (for example: git fetch origin) or check its name.\n',
    );
  });

  it('the Action turns it into a CommitNotInCheckoutError naming the commit and whether it is the base or the head', async () => {
    const repo = createSeededRepo();
    const base = repo.sha();
    openPullRequest(repo, { write: { 'registry/it/standup-notes-bot.yaml': fixture('apps/standup-notes-bot.yaml') } });
    const head = repo.sha();

    const noBase = await failureOf(judgePullRequest(repo.dir, MISSING, head));
    expect(noBase).toBeInstanceOf(CommitNotInCheckoutError);
    expect(noBase).toMatchObject({ kind: 'commit-not-in-checkout', commit: MISSING, role: 'base' });
    expect((noBase as Error).message).toBe(
      `the pull request's base commit ${MISSING} is not in this checkout. ` +
        'Check out the repository with full history (actions/checkout with "fetch-depth: 0") so both the base and the head commits are available.',
    );

    const noHead = await failureOf(judgePullRequest(repo.dir, base, MISSING));
    expect(noHead).toMatchObject({ kind: 'commit-not-in-checkout', commit: MISSING, role: 'head' });
  });
});

describe('a folder that is not inside a git repository', () => {
  it('is a NotAGitRepositoryError naming the folder', async () => {
    const folder = makeTempDir();
    const error = await failureOf(checkGitChange(folder, 'main'));
    expect(error).toBeInstanceOf(NotAGitRepositoryError);
    expect(error).toMatchObject({ kind: 'not-a-git-repository', path: folder, message: `${folder} is not inside a git repository.` });
  });

  it('the CLI names the folder in one line and exits 2', () => {
    const folder = makeTempDir();
    const r = runCli(['check', '--root', folder, '--base', 'main']);
    expect(r.code, r.describe()).toBe(2);
    expect(r.stderr).toBe(`microapps: ${folder} is not inside a git repository.\n`);
  });
});
