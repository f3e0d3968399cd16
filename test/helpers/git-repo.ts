/**
 * Real git repositories in temporary folders, for driving the CLI end to end.
 *
 *   const repo = createRepo({ 'README.md': 'hi\n' });   // committed on main
 *   seedRegistry(repo);                                  // connectors/, policies/, a few apps
 *   repo.commit('seed');
 *   repo.branch('feature');
 *   repo.write('registry/it/x.yaml', '...');
 *   repo.commit('add x');
 *
 * Every repository is removed by `cleanupRepos()`; test files register it with
 * `afterEach(cleanupRepos)` (or call `useTempRepos()` once at the top level).
 * Git runs with the user's and the system's configuration switched off, so a developer's
 * global settings (signing, hooks, autocrlf, default branch) cannot change the results.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import { REPO_ROOT } from './paths.js';

export type FileMap = Record<string, string | Uint8Array>;

/** The environment for git and for the CLI: no inherited repository, no user configuration. */
export function isolatedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE... would point git at another repository
    // (e.g. when the tests run inside a git hook).
    if (!k.startsWith('GIT_')) env[k] = v;
  }
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: process.platform === 'win32' ? 'NUL' : '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
    NO_COLOR: '1',
    ...extra,
  };
}

export class GitRepo {
  constructor(readonly dir: string) {}

  /** Runs git in the repository (arguments, never a shell) and returns its stdout. */
  git(...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      env: isolatedEnv(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  }

  path(relative: string): string {
    return join(this.dir, relative);
  }

  write(relative: string, content: string | Uint8Array): this {
    const target = this.path(relative);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    return this;
  }

  writeAll(files: FileMap): this {
    for (const [p, c] of Object.entries(files)) this.write(p, c);
    return this;
  }

  read(relative: string): string {
    return readFileSync(this.path(relative), 'utf8');
  }

  exists(relative: string): boolean {
    return existsSync(this.path(relative));
  }

  remove(relative: string): this {
    rmSync(this.path(relative), { recursive: true, force: true });
    return this;
  }

  /** A symbolic link at `relative` pointing to `target` (as written, usually relative). */
  symlink(target: string, relative: string): this {
    const link = this.path(relative);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(target, link);
    return this;
  }

  /**
   * Commits files whose names are raw bytes (not necessarily UTF-8): git takes any bytes
   * through `update-index -z --index-info`, which no file system or argument list has to.
   */
  commitRawNames(files: Array<[Buffer, string | Uint8Array]>, message = 'raw names'): string {
    const run = (args: string[], input: string | Uint8Array) =>
      execFileSync('git', args, { cwd: this.dir, env: isolatedEnv(), input, stdio: ['pipe', 'pipe', 'pipe'] })
        .toString('utf8')
        .trim();
    const records = files.map(([path, content]) =>
      Buffer.concat([Buffer.from(`100644 ${run(['hash-object', '-w', '--stdin'], content)}\t`), path, Buffer.from([0])]),
    );
    run(['update-index', '--add', '-z', '--index-info'], Buffer.concat(records));
    this.git('commit', '-q', '--no-verify', '-m', message);
    return this.sha();
  }

  /** Stages everything (additions, changes, deletions) and commits; returns the commit id. */
  commit(message: string): string {
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '--no-verify', '-m', message);
    return this.sha();
  }

  /** Creates a branch at HEAD and checks it out (a pull request's head branch). */
  branch(name: string): this {
    this.git('checkout', '-q', '-b', name);
    return this;
  }

  checkout(ref: string): this {
    this.git('checkout', '-q', ref);
    return this;
  }

  /** `git mv`, so git itself sees a rename. */
  move(from: string, to: string): this {
    mkdirSync(dirname(this.path(to)), { recursive: true });
    this.git('mv', from, to);
    return this;
  }

  sha(ref = 'HEAD'): string {
    return this.git('rev-parse', '--verify', `${ref}^{commit}`).trim();
  }
}

const created = new Set<string>();

/** A fresh temp folder, removed by cleanupRepos(). */
export function makeTempDir(prefix = 'microapps-cli-'): string {
  // realpath: on some systems the temp folder is reached through a symlink (/tmp -> /private/tmp).
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  created.add(dir);
  return dir;
}

/**
 * A new git repository on branch `main` holding `files` in one commit ("base").
 * With no files, the repository has no commit yet.
 */
export function createRepo(files: FileMap = {}): GitRepo {
  const repo = new GitRepo(makeTempDir());
  repo.git('init', '-q', '-b', 'main');
  repo.git('config', 'user.name', 'Microapps Test');
  repo.git('config', 'user.email', 'microapps-test@example.com');
  repo.git('config', 'commit.gpgsign', 'false');
  repo.git('config', 'tag.gpgsign', 'false');
  repo.git('config', 'core.autocrlf', 'false');
  repo.git('config', 'core.symlinks', 'true');
  if (Object.keys(files).length > 0) {
    repo.writeAll(files);
    repo.commit('base');
  }
  return repo;
}

/** Apps copied by seedRegistry() unless told otherwise: a sandbox, a production and a JSON one. */
export const SEED_APPS = [
  'registry/finance/expense-report-dashboard.yaml',
  'registry/it/laptop-refresh-tracker.yaml',
  'registry/it/jira-sprint-digest.json',
] as const;

export interface SeedOptions {
  /** App manifests of the shipped registry to copy (paths relative to the repository root). */
  apps?: readonly string[];
  /** Copy policies/tests/ too (default true). */
  policyTests?: boolean;
  /** Commit the seed on the current branch with this message (default: "seed registry"; false: do not commit). */
  commit?: string | false;
}

/**
 * Copies the shipped connectors/, policies/ and a few apps of this repository into `repo`
 * and, by default, commits them: the base branch of a realistic registry.
 */
export function seedRegistry(repo: GitRepo, options: SeedOptions = {}): GitRepo {
  cpSync(join(REPO_ROOT, 'connectors'), repo.path('connectors'), { recursive: true });
  mkdirSync(repo.path('policies'), { recursive: true });
  cpSync(join(REPO_ROOT, 'policies', 'approval.yaml'), repo.path('policies/approval.yaml'));
  cpSync(join(REPO_ROOT, 'policies', 'owners.yaml'), repo.path('policies/owners.yaml'));
  if (options.policyTests ?? true) {
    cpSync(join(REPO_ROOT, 'policies', 'tests'), repo.path('policies/tests'), { recursive: true });
  }
  for (const app of options.apps ?? SEED_APPS) {
    repo.write(app, readFileSync(join(REPO_ROOT, app)));
  }
  if (!repo.exists('README.md')) repo.write('README.md', '# test registry\n');
  if (options.commit !== false) repo.commit(options.commit ?? 'seed registry');
  return repo;
}

/** A seeded repository on `main`, committed: the usual starting point of a check test. */
export function createSeededRepo(options: Omit<SeedOptions, 'commit'> = {}): GitRepo {
  return seedRegistry(createRepo(), options);
}

/**
 * A repository whose registry lives in the subfolder `folder` (a seeded registry, copied there),
 * next to the files `outside` at the repository's top, in one commit on `main`.
 */
export function createSeededRepoIn(
  folder: string,
  outside: FileMap = { 'README.md': '# monorepo\n' },
  options: Omit<SeedOptions, 'commit'> = {},
): GitRepo {
  const seeded = createSeededRepo(options);
  const repo = createRepo(outside);
  for (const entry of readdirSync(seeded.dir)) {
    if (entry === '.git') continue;
    cpSync(join(seeded.dir, entry), repo.path(join(folder, entry)), { recursive: true });
  }
  repo.commit(`registry in ${folder}/`);
  return repo;
}

/** Removes every temp folder made so far. */
export function cleanupRepos(): void {
  for (const dir of created) {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    created.delete(dir);
  }
}

/** Registers cleanupRepos() after each test of the calling file. */
export function useTempRepos(): void {
  afterEach(cleanupRepos);
}

export interface PullRequestChange {
  write?: FileMap;
  remove?: string[];
  /** [from, to] pairs moved with `git mv`. */
  move?: Array<[string, string]>;
}

/**
 * Opens a "pull request": a branch off the current HEAD with one commit making `change`.
 * Returns the branch name; the repository is left on that branch.
 */
export function openPullRequest(repo: GitRepo, change: PullRequestChange, branch = 'feature'): string {
  repo.branch(branch);
  for (const [from, to] of change.move ?? []) repo.move(from, to);
  for (const p of change.remove ?? []) repo.remove(p);
  if (change.write) repo.writeAll(change.write);
  repo.commit(`pull request ${branch}`);
  return branch;
}
