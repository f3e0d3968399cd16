/**
 * GitHubTree: a TreeSource over GitHub's Git Data API, checked against a real temporary git
 * repository (every SHA, size and byte below is git's own) and against CommitTree, which
 * reads the same objects straight from git.
 */
import { chmodSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CommitTree } from '../../../src/adapters/git/commit-tree.js';
import {
  BLOB_CONCURRENCY,
  GitHubTree,
  MemoryBlobCache,
  gitBlobId,
  normalizePrefix,
  type GitHubClient,
} from '../../../src/adapters/github/index.js';
import { SourceError, TreeTooLargeError } from '../../../src/core/errors.js';
import { MAX_FILE_BYTES } from '../../../src/core/parse/limits.js';
import { governanceScope } from '../../../src/core/tree.js';
import { createRepo, useTempRepos, type GitRepo } from '../../helpers/git-repo.js';
import { FakeGitHubRepo } from './fake-repo.js';
import { useGitHubMock } from './mock-github.js';

useTempRepos();
const github = useGitHubMock();

const NOT_FOUND = {
  message: 'Not Found',
  documentation_url: 'https://docs.github.com/rest/git/commits#get-a-commit-object',
  status: '404',
};

/** A repository with every kind of entry, governed and not. Returns the commit. */
function richRepo(): { repo: GitRepo; commit: string } {
  const repo = createRepo({
    'README.md': '# hi\n',
    'src/index.ts': 'export {};\n',
    'registry.md': 'not under registry/\n',
    'registryfoo/x.yaml': 'name: not governed\n',
    'registry/finance/a.yaml': 'name: a\n',
    'registry/finance/b.json': '{"name": "b"}\n',
    'registry/it/run.sh': '#!/bin/sh\necho hi\n',
    'policies/approval.yaml': 'rules: []\n',
    'connectors/hr.yaml': 'connector_id: hr\n',
    '.github/workflows/ci.yml': 'on: push\n',
    'audit/log.jsonl': '{}\n',
  });
  chmodSync(repo.path('registry/it/run.sh'), 0o755);
  repo.symlink('a.yaml', 'registry/finance/link.yaml');
  repo.git('add', '-A');
  // A submodule (gitlink) under registry/, pointing at the first commit.
  repo.git('update-index', '--add', '--cacheinfo', `160000,${repo.sha()},registry/vendor/lib`);
  repo.git('commit', '-q', '--no-verify', '-m', 'kinds');
  return { repo, commit: repo.sha() };
}

function treeOf(fake: FakeGitHubRepo, commit: string, prefix = ''): GitHubTree {
  return new GitHubTree({
    octokit: github.octokit(),
    owner: fake.owner,
    repo: fake.name,
    commitOrTreeSha: commit,
    label: `head (${commit.slice(0, 7)})`,
    prefix,
  });
}

describe('GitHubTree.listing()', () => {
  it("lists only governed paths, with git's kinds and blob ids, exactly as CommitTree does", async () => {
    const { repo, commit } = richRepo();
    const fake = new FakeGitHubRepo(repo);
    fake.serveListing(github, commit);

    const listing = await treeOf(fake, commit).listing();
    const viaGit = await new CommitTree(repo.dir, commit, 'head').listing();
    expect(listing).toEqual(viaGit);

    const byPath = Object.fromEntries(listing.entries.map((e) => [e.path, e.kind]));
    expect(byPath).toEqual({
      '.github/workflows/ci.yml': 'file',
      'audit/log.jsonl': 'file',
      'connectors/hr.yaml': 'file',
      'policies/approval.yaml': 'file',
      'registry/finance/a.yaml': 'file',
      'registry/finance/b.json': 'file',
      'registry/finance/link.yaml': 'symlink',
      'registry/it/run.sh': 'file',
      'registry/vendor/lib': 'submodule',
    });
    const lib = listing.entries.find((e) => e.path === 'registry/vendor/lib')!;
    expect(lib.oid).toBe(repo.sha('HEAD~1'));
    expect(listing.entries.find((e) => e.path === 'registry/finance/a.yaml')!.oid).toBe(
      repo.git('rev-parse', 'HEAD:registry/finance/a.yaml').trim(),
    );
    expect(github.requests).toEqual([
      `GET /repos/acme/registry/git/commits/${commit}`,
      `GET /repos/acme/registry/git/trees/${fake.treeOf(commit)}?recursive=1`,
    ]);
  });

  it('asks GitHub once, however often it is listed (judgeSources shares a source as base and origin)', async () => {
    const { repo, commit } = richRepo();
    const fake = new FakeGitHubRepo(repo);
    fake.serveListing(github, commit);
    const tree = treeOf(fake, commit);
    const [a, b] = await Promise.all([tree.listing(), tree.listing()]);
    expect(await tree.listing()).toEqual(a);
    expect(b).toEqual(a);
    expect(github.requests).toHaveLength(2);
  });

  it('takes a tree id as well as a commit id', async () => {
    const { repo, commit } = richRepo();
    const fake = new FakeGitHubRepo(repo);
    const treeSha = fake.treeOf(commit);
    github.reply('GET', fake.path(`/git/commits/${treeSha}`), 404, NOT_FOUND);
    github.reply('GET', fake.path(`/git/trees/${treeSha}?recursive=1`), 200, fake.tree(treeSha, true));
    const listing = await treeOf(fake, treeSha).listing();
    expect(listing).toEqual(await new CommitTree(repo.dir, commit, 'head').listing());
  });

  it('with a prefix, lists the registry inside a larger repository (and ignores governed-looking paths outside it)', async () => {
    const repo = createRepo({
      'registry/outside.yaml': 'name: outside\n',
      'apps/gov/registry/it/x.yaml': 'name: x\n',
      'apps/gov/policies/approval.yaml': 'rules: []\n',
      'apps/gov/README.md': 'docs\n',
      'apps/other/registry/y.yaml': 'name: y\n',
    });
    const commit = repo.sha();
    const fake = new FakeGitHubRepo(repo);
    fake.serveListing(github, commit);
    const listing = await treeOf(fake, commit, 'apps/gov').listing();
    expect(listing.entries.map((e) => e.path)).toEqual(['policies/approval.yaml', 'registry/it/x.yaml']);
    expect(listing).toEqual(await new CommitTree(repo.dir, commit, 'head', 'apps/gov/').listing());
  });

  it('with a prefix that does not exist at this commit, lists an empty registry (as CommitTree does)', async () => {
    const repo = createRepo({ 'registry/a.yaml': 'name: a\n' });
    const commit = repo.sha();
    const fake = new FakeGitHubRepo(repo);
    fake.serveListing(github, commit);
    expect(await treeOf(fake, commit, 'apps/gov/').listing()).toEqual({ entries: [] });
    expect(await new CommitTree(repo.dir, commit, 'head', 'apps/gov/').listing()).toEqual({ entries: [] });
  });

  it("with the base policy's governance paths, lists those too (a file, folders, a nested folder), nothing else, without asking GitHub again", async () => {
    const repo = createRepo({
      'README.md': '# not governed\n',
      'package.json': '{}\n',
      'package-lock.json': '{}\n',
      'src/index.ts': 'export {};\n',
      'srcfoo/x.ts': 'not src/\n',
      'tools/gate/run.sh': 'exit 0\n',
      'tools/other.sh': 'not listed\n',
      'registry/a.yaml': 'name: a\n',
    });
    const commit = repo.sha();
    const fake = new FakeGitHubRepo(repo);
    fake.serveListing(github, commit);
    const tree = treeOf(fake, commit);
    const paths = ['src/', 'package.json', 'tools/gate/'];
    expect((await tree.listing()).entries.map((e) => e.path)).toEqual(['registry/a.yaml']);
    const listing = await tree.listing(paths);
    expect(listing.entries.map((e) => e.path)).toEqual(['package.json', 'registry/a.yaml', 'src/index.ts', 'tools/gate/run.sh']);
    expect(listing).toEqual(await new CommitTree(repo.dir, commit, 'head').listing(paths));
    expect(github.requests).toHaveLength(2);
    // read() reaches what the wider listing found.
    fake.serveBlobsOf(github, commit);
    expect(new TextDecoder().decode((await tree.read(['package.json'])).get('package.json'))).toBe('{}\n');
  });

  it('lists a symlink standing where a governance folder should be (action -> elsewhere), as CommitTree does', async () => {
    const repo = createRepo({ 'registry/a.yaml': 'name: a\n', 'elsewhere/index.js': '\n' });
    repo.symlink('elsewhere', 'action');
    const commit = repo.commit('link');
    const fake = new FakeGitHubRepo(repo);
    fake.serveListing(github, commit);
    const listing = await treeOf(fake, commit).listing(['action/']);
    expect(listing.entries.map((e) => [e.path, e.kind])).toEqual([
      ['action', 'symlink'],
      ['registry/a.yaml', 'file'],
    ]);
    expect(listing).toEqual(await new CommitTree(repo.dir, commit, 'head').listing(['action/']));
  });

  it('refuses a governed entry of a kind it does not know, rather than skip it', async () => {
    const repo = createRepo({ 'registry/a.yaml': 'name: a\n' });
    const commit = repo.sha();
    const fake = new FakeGitHubRepo(repo);
    const treeSha = fake.treeOf(commit);
    const body = fake.tree(treeSha, true);
    body.tree.push({ path: 'registry/odd', mode: '060000', type: 'blob', sha: body.tree.at(-1)!.sha, size: 1 });
    github.reply('GET', fake.path(`/git/commits/${commit}`), 200, fake.gitCommit(commit));
    github.reply('GET', fake.path(`/git/trees/${treeSha}?recursive=1`), 200, body);
    const error = await treeOf(fake, commit)
      .listing()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toMatch(/"registry\/odd" has an unexpected git mode 060000/);
  });
});

describe("GitHubTree: the governance paths of a registry in a subfolder are the repository's", () => {
  /** A registry in apps/gov/ of a bigger repository, with the gate's code at the top and look-alikes inside. */
  function monorepo(): { repo: GitRepo; commit: string } {
    const repo = createRepo({
      'action/dist/index.js': '// the workflow runs this\n',
      'package.json': '{}\n',
      '.github/workflows/check.yml': 'on: pull_request\n',
      'README.md': '# not governed\n',
      'apps/gov/registry/it/x.yaml': 'name: x\n',
      'apps/gov/policies/approval.yaml': 'rules: []\n',
      'apps/gov/action/y.js': "not the workflow's ./action\n",
      'apps/gov/package.json': '{}\n',
    });
    return { repo, commit: repo.sha() };
  }
  const scope = governanceScope(['action/', 'package.json'], true);

  it('lists them from the top of the repository, marked "/", and not the registry folder\'s look-alikes, as CommitTree does', async () => {
    const { repo, commit } = monorepo();
    const fake = new FakeGitHubRepo(repo);
    fake.serveListing(github, commit);
    const listing = await treeOf(fake, commit, 'apps/gov/').listing(scope);
    expect(listing.entries.map((e) => e.path)).toEqual([
      '/.github/workflows/check.yml',
      '/action/dist/index.js',
      '/package.json',
      'policies/approval.yaml',
      'registry/it/x.yaml',
    ]);
    expect(listing).toEqual(await new CommitTree(repo.dir, commit, 'head', 'apps/gov/').listing(scope));
  });

  it("also when GitHub truncates the listing: the top folder's names are walked from the top (a link in place of action/ too)", async () => {
    const repo = createRepo({
      'package.json': '{}\n',
      'elsewhere/index.js': '\n',
      'apps/gov/registry/it/x.yaml': 'name: x\n',
      'apps/gov/policies/approval.yaml': 'rules: []\n',
    });
    repo.symlink('elsewhere', 'action');
    const commit = repo.commit('link');
    const fake = new FakeGitHubRepo(repo);
    const rootTree = fake.treeOf(commit);
    const at = (p: string) => repo.git('rev-parse', `${commit}:${p}`).trim();
    const body = fake.tree(rootTree, true);
    github.reply('GET', fake.path(`/git/commits/${commit}`), 200, fake.gitCommit(commit));
    github.reply('GET', fake.path(`/git/trees/${rootTree}?recursive=1`), 200, { ...body, tree: body.tree.slice(0, 1), truncated: true });
    github.reply('GET', fake.path(`/git/trees/${rootTree}`), 200, fake.tree(rootTree, false));
    github.reply('GET', fake.path(`/git/trees/${at('apps')}`), 200, fake.tree(at('apps'), false));
    github.reply('GET', fake.path(`/git/trees/${at('apps/gov')}`), 200, fake.tree(at('apps/gov'), false));
    github.reply('GET', fake.path(`/git/trees/${at('apps/gov/registry')}?recursive=1`), 200, fake.tree(at('apps/gov/registry'), true));
    github.reply('GET', fake.path(`/git/trees/${at('apps/gov/policies')}?recursive=1`), 200, fake.tree(at('apps/gov/policies'), true));
    const listing = await treeOf(fake, commit, 'apps/gov/').listing(scope);
    expect(listing.entries.map((e) => [e.path, e.kind])).toEqual([
      ['/action', 'symlink'],
      ['/package.json', 'file'],
      ['policies/approval.yaml', 'file'],
      ['registry/it/x.yaml', 'file'],
    ]);
    expect(listing).toEqual(await new CommitTree(repo.dir, commit, 'head', 'apps/gov/').listing(scope));
  });

  it("a governance path that holds the registry's own governed folder is listed in both forms, once each (truncated or not)", async () => {
    const repo = createRepo({ 'apps/gov/registry/it/x.yaml': 'name: x\n', 'apps/gov/policies/approval.yaml': 'rules: []\n' });
    const commit = repo.sha();
    const both = governanceScope(['apps/gov/policies/'], true);
    const expected = ['/apps/gov/policies/approval.yaml', 'policies/approval.yaml', 'registry/it/x.yaml'];
    const viaGit = await new CommitTree(repo.dir, commit, 'head', 'apps/gov/').listing(both);
    expect(viaGit.entries.map((e) => e.path)).toEqual(expected);

    const fake = new FakeGitHubRepo(repo);
    fake.serveListing(github, commit);
    expect(await treeOf(fake, commit, 'apps/gov/').listing(both)).toEqual(viaGit);

    const rootTree = fake.treeOf(commit);
    const at = (p: string) => repo.git('rev-parse', `${commit}:${p}`).trim();
    const body = fake.tree(rootTree, true);
    github.reply('GET', fake.path(`/git/commits/${commit}`), 200, fake.gitCommit(commit));
    github.reply('GET', fake.path(`/git/trees/${rootTree}?recursive=1`), 200, { ...body, tree: body.tree.slice(0, 1), truncated: true });
    github.reply('GET', fake.path(`/git/trees/${rootTree}`), 200, fake.tree(rootTree, false));
    github.reply('GET', fake.path(`/git/trees/${at('apps')}`), 200, fake.tree(at('apps'), false));
    github.reply('GET', fake.path(`/git/trees/${at('apps/gov')}`), 200, fake.tree(at('apps/gov'), false));
    github.reply('GET', fake.path(`/git/trees/${at('apps/gov/registry')}?recursive=1`), 200, fake.tree(at('apps/gov/registry'), true));
    github.reply('GET', fake.path(`/git/trees/${at('apps/gov/policies')}?recursive=1`), 200, fake.tree(at('apps/gov/policies'), true));
    expect(await treeOf(fake, commit, 'apps/gov/').listing(both)).toEqual(viaGit);
  });

  it("at the top of the repository nothing changes: the governance paths are the registry's own", () => {
    expect(governanceScope(['action/', 'package.json'], false)).toEqual(['action/', 'package.json']);
    expect(scope).toEqual(['/action/', '/package.json', '/.github/']);
  });
});

describe('GitHubTree: governed folders in another case (issue 9)', () => {
  function miscasedRepo(): { repo: GitRepo; commit: string; fake: FakeGitHubRepo } {
    const repo = createRepo({
      'registry/it/a.yaml': 'name: a\n',
      'Registry/it/b.yaml': 'name: b\n',
      'POLICIES/approval.yaml': 'rules: []\n',
      'registryfoo/x.yaml': 'name: not governed\n',
    });
    return { repo, commit: repo.sha(), fake: new FakeGitHubRepo(repo) };
  }
  const EXPECTED = ['POLICIES/approval.yaml', 'Registry/it/b.yaml', 'registry/it/a.yaml'];

  it('lists Registry/ and POLICIES/ (so they are refused, not ignored), exactly as CommitTree does', async () => {
    const { repo, commit, fake } = miscasedRepo();
    fake.serveListing(github, commit);
    const listing = await treeOf(fake, commit).listing();
    expect(listing.entries.map((e) => e.path)).toEqual(EXPECTED);
    expect(listing).toEqual(await new CommitTree(repo.dir, commit, 'head').listing());
  });

  it('lists them too when the listing is truncated and each governed folder is fetched on its own', async () => {
    const { repo, commit, fake } = miscasedRepo();
    const rootTree = fake.treeOf(commit);
    const body = fake.tree(rootTree, true);
    github.reply('GET', fake.path(`/git/commits/${commit}`), 200, fake.gitCommit(commit));
    github.reply('GET', fake.path(`/git/trees/${rootTree}?recursive=1`), 200, { ...body, tree: body.tree.slice(0, 1), truncated: true });
    github.reply('GET', fake.path(`/git/trees/${rootTree}`), 200, fake.tree(rootTree, false));
    for (const folder of ['POLICIES', 'Registry', 'registry']) {
      const sha = repo.git('rev-parse', `${commit}:${folder}`).trim();
      github.reply('GET', fake.path(`/git/trees/${sha}?recursive=1`), 200, fake.tree(sha, true));
    }
    expect((await treeOf(fake, commit).listing()).entries.map((e) => e.path)).toEqual(EXPECTED);
  });
});

describe('GitHubTree when GitHub truncates the listing', () => {
  function bigRepo(): { repo: GitRepo; commit: string; fake: FakeGitHubRepo } {
    const files: Record<string, string> = {
      'registry/it/a.yaml': 'name: a\n',
      'registry/it/deep/b.yaml': 'name: b\n',
      'policies/approval.yaml': 'rules: []\n',
      'node_modules/huge/index.js': '// imagine 100,000 files here\n',
    };
    const repo = createRepo(files);
    return { repo, commit: repo.sha(), fake: new FakeGitHubRepo(repo) };
  }

  /** The recursive answer GitHub gives for a too-large tree: some entries, truncated: true. */
  function truncated(fake: FakeGitHubRepo, treeSha: string, recursive: boolean) {
    const body = fake.tree(treeSha, recursive);
    return { ...body, tree: body.tree.slice(0, 1), truncated: true };
  }

  it('lists each governed folder on its own and gets the same, complete listing', async () => {
    const { repo, commit, fake } = bigRepo();
    const rootTree = fake.treeOf(commit);
    github.reply('GET', fake.path(`/git/commits/${commit}`), 200, fake.gitCommit(commit));
    github.reply('GET', fake.path(`/git/trees/${rootTree}?recursive=1`), 200, truncated(fake, rootTree, true));
    github.reply('GET', fake.path(`/git/trees/${rootTree}`), 200, fake.tree(rootTree, false));
    for (const folder of ['policies', 'registry']) {
      const sha = repo.git('rev-parse', `${commit}:${folder}`).trim();
      github.reply('GET', fake.path(`/git/trees/${sha}?recursive=1`), 200, fake.tree(sha, true));
    }
    const listing = await treeOf(fake, commit).listing();
    expect(listing).toEqual(await new CommitTree(repo.dir, commit, 'head').listing());
    expect(listing.entries.map((e) => e.path)).toEqual(['policies/approval.yaml', 'registry/it/a.yaml', 'registry/it/deep/b.yaml']);
  });

  it('fails closed with TreeTooLargeError when a governed folder is itself truncated: never a partial listing', async () => {
    const { repo, commit, fake } = bigRepo();
    const rootTree = fake.treeOf(commit);
    const registry = repo.git('rev-parse', `${commit}:registry`).trim();
    github.reply('GET', fake.path(`/git/commits/${commit}`), 200, fake.gitCommit(commit));
    github.reply('GET', fake.path(`/git/trees/${rootTree}?recursive=1`), 200, truncated(fake, rootTree, true));
    github.reply('GET', fake.path(`/git/trees/${rootTree}`), 200, fake.tree(rootTree, false));
    // registry/ comes first and is truncated: nothing after it is asked for.
    github.reply('GET', fake.path(`/git/trees/${registry}?recursive=1`), 200, truncated(fake, registry, true));

    const tree = treeOf(fake, commit);
    const error = await tree.listing().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TreeTooLargeError);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).name).toBe('TreeTooLargeError');
    expect((error as Error).message).toMatch(/the governed folder "registry\/" is too large for GitHub to list in one API call/);
    expect((error as Error).message).toMatch(/cannot see every governed file and will not judge this change/);
    // read() needs the listing too: it fails the same way rather than read a partial tree.
    github.reply('GET', fake.path(`/git/commits/${commit}`), 200, fake.gitCommit(commit));
    github.reply('GET', fake.path(`/git/trees/${rootTree}?recursive=1`), 200, truncated(fake, rootTree, true));
    github.reply('GET', fake.path(`/git/trees/${rootTree}`), 200, { ...fake.tree(rootTree, false), truncated: true });
    await expect(tree.read(['registry/it/a.yaml'])).rejects.toBeInstanceOf(TreeTooLargeError);
  });

  it('fails closed when even the top folder cannot be listed whole', async () => {
    const { commit, fake } = bigRepo();
    const rootTree = fake.treeOf(commit);
    github.reply('GET', fake.path(`/git/commits/${commit}`), 200, fake.gitCommit(commit));
    github.reply('GET', fake.path(`/git/trees/${rootTree}?recursive=1`), 200, truncated(fake, rootTree, true));
    github.reply('GET', fake.path(`/git/trees/${rootTree}`), 200, truncated(fake, rootTree, false));
    await expect(treeOf(fake, commit).listing()).rejects.toThrow(TreeTooLargeError);
  });

  it('lists each governance path on its own too (a file at the top, a folder, a nested folder): the same listing as CommitTree', async () => {
    const repo = createRepo({
      'registry/it/a.yaml': 'name: a\n',
      'package.json': '{}\n',
      'src/index.ts': 'export {};\n',
      'tools/gate/run.sh': 'exit 0\n',
      'tools/other.sh': 'not listed\n',
      'node_modules/huge/index.js': '// imagine 100,000 files here\n',
    });
    const commit = repo.sha();
    const fake = new FakeGitHubRepo(repo);
    const rootTree = fake.treeOf(commit);
    const at = (p: string) => repo.git('rev-parse', `${commit}:${p}`).trim();
    github.reply('GET', fake.path(`/git/commits/${commit}`), 200, fake.gitCommit(commit));
    github.reply('GET', fake.path(`/git/trees/${rootTree}?recursive=1`), 200, truncated(fake, rootTree, true));
    github.reply('GET', fake.path(`/git/trees/${rootTree}`), 200, fake.tree(rootTree, false));
    github.reply('GET', fake.path(`/git/trees/${at('registry')}?recursive=1`), 200, fake.tree(at('registry'), true));
    github.reply('GET', fake.path(`/git/trees/${at('src')}?recursive=1`), 200, fake.tree(at('src'), true));
    github.reply('GET', fake.path(`/git/trees/${at('tools')}`), 200, fake.tree(at('tools'), false));
    github.reply('GET', fake.path(`/git/trees/${at('tools/gate')}?recursive=1`), 200, fake.tree(at('tools/gate'), true));
    const paths = ['src/', 'package.json', 'tools/gate/', 'bin/'];
    const tree = treeOf(fake, commit);
    const listing = await tree.listing(paths);
    expect(listing.entries.map((e) => e.path)).toEqual(['package.json', 'registry/it/a.yaml', 'src/index.ts', 'tools/gate/run.sh']);
    expect(listing).toEqual(await new CommitTree(repo.dir, commit, 'head').listing(paths));
    // The governed listing after it asks nothing more: every answer was kept.
    expect((await tree.listing()).entries.map((e) => e.path)).toEqual(['registry/it/a.yaml']);
  });

  it('fails closed when a governance folder is itself truncated', async () => {
    const repo = createRepo({ 'registry/a.yaml': 'name: a\n', 'src/index.ts': '\n', 'src/b.ts': '\n' });
    const commit = repo.sha();
    const fake = new FakeGitHubRepo(repo);
    const rootTree = fake.treeOf(commit);
    const at = (p: string) => repo.git('rev-parse', `${commit}:${p}`).trim();
    github.reply('GET', fake.path(`/git/commits/${commit}`), 200, fake.gitCommit(commit));
    github.reply('GET', fake.path(`/git/trees/${rootTree}?recursive=1`), 200, truncated(fake, rootTree, true));
    github.reply('GET', fake.path(`/git/trees/${rootTree}`), 200, fake.tree(rootTree, false));
    github.reply('GET', fake.path(`/git/trees/${at('registry')}?recursive=1`), 200, fake.tree(at('registry'), true));
    github.reply('GET', fake.path(`/git/trees/${at('src')}?recursive=1`), 200, truncated(fake, at('src'), true));
    const error = await treeOf(fake, commit)
      .listing(['src/'])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TreeTooLargeError);
    expect((error as Error).message).toMatch(/the governed folder "src\/" is too large/);
  });

  it('walks down to a prefixed registry before listing its governed folders', async () => {
    const repo = createRepo({ 'apps/gov/registry/a.yaml': 'name: a\n', 'apps/gov/src/x.ts': '\n', 'vendor/big.js': '\n' });
    const commit = repo.sha();
    const fake = new FakeGitHubRepo(repo);
    const rootTree = fake.treeOf(commit);
    const at = (p: string) => repo.git('rev-parse', `${commit}:${p}`).trim();
    github.reply('GET', fake.path(`/git/commits/${commit}`), 200, fake.gitCommit(commit));
    github.reply('GET', fake.path(`/git/trees/${rootTree}?recursive=1`), 200, truncated(fake, rootTree, true));
    github.reply('GET', fake.path(`/git/trees/${rootTree}`), 200, fake.tree(rootTree, false));
    github.reply('GET', fake.path(`/git/trees/${at('apps')}`), 200, fake.tree(at('apps'), false));
    github.reply('GET', fake.path(`/git/trees/${at('apps/gov')}`), 200, fake.tree(at('apps/gov'), false));
    github.reply('GET', fake.path(`/git/trees/${at('apps/gov/registry')}?recursive=1`), 200, fake.tree(at('apps/gov/registry'), true));
    const listing = await treeOf(fake, commit, 'apps/gov/').listing();
    expect(listing).toEqual(await new CommitTree(repo.dir, commit, 'head', 'apps/gov/').listing());
    expect(listing.entries.map((e) => e.path)).toEqual(['registry/a.yaml']);
  });
});

describe('GitHubTree.read()', () => {
  it("reads the asked files' bytes (base64 decoded), only those, each blob once", async () => {
    const binary = Uint8Array.from([0, 1, 2, 0xff, 0xfe, 10, 13, 0x80]);
    const repo = createRepo({
      'registry/a.yaml': 'name: a\n',
      'registry/same.yaml': 'name: a\n',
      'registry/bin.yaml': binary,
      'registry/long.yaml': `${'x: 1\n'.repeat(2000)}`,
      'registry/unread.yaml': 'name: unread\n',
      'README.md': 'not governed\n',
    });
    repo.symlink('a.yaml', 'registry/link.yaml');
    const commit = repo.commit('link');
    const fake = new FakeGitHubRepo(repo);
    fake.serveListing(github, commit);
    const blobOf = (p: string) => repo.git('rev-parse', `${commit}:${p}`).trim();
    for (const p of ['registry/a.yaml', 'registry/bin.yaml', 'registry/long.yaml', 'registry/link.yaml']) {
      github.reply('GET', fake.path(`/git/blobs/${blobOf(p)}`), 200, fake.blob(blobOf(p)));
    }

    const wanted = [
      'registry/a.yaml',
      'registry/same.yaml',
      'registry/bin.yaml',
      'registry/long.yaml',
      'registry/link.yaml',
      'registry/missing.yaml',
      'README.md',
    ];
    const files = await treeOf(fake, commit).read(wanted);
    const viaGit = await new CommitTree(repo.dir, commit, 'head').read(wanted);
    expect([...files.keys()].sort()).toEqual([
      'registry/a.yaml',
      'registry/bin.yaml',
      'registry/link.yaml',
      'registry/long.yaml',
      'registry/same.yaml',
    ]);
    expect([...files.keys()].sort()).toEqual([...viaGit.keys()].sort());
    for (const [p, bytes] of files) expect(Buffer.from(bytes).equals(Buffer.from(viaGit.get(p)!)), p).toBe(true);
    expect(Buffer.from(files.get('registry/bin.yaml')!)).toEqual(Buffer.from(binary));
    expect(Buffer.from(files.get('registry/link.yaml')!).toString()).toBe('a.yaml');
  });

  it('does not fetch a blob larger than MAX_FILE_BYTES: it gets one byte over the cap, so the parser refuses it', async () => {
    const repo = createRepo({
      'registry/huge.yaml': `# ${'x'.repeat(MAX_FILE_BYTES + 500)}\n`,
      'registry/at-cap.yaml': `#${'y'.repeat(MAX_FILE_BYTES - 2)}\n`,
    });
    const commit = repo.sha();
    const fake = new FakeGitHubRepo(repo);
    fake.serveListing(github, commit);
    const atCap = repo.git('rev-parse', `${commit}:registry/at-cap.yaml`).trim();
    // Only the file at the cap is fetched: no mock for huge.yaml, so fetching it would fail the test.
    github.reply('GET', fake.path(`/git/blobs/${atCap}`), 200, fake.blob(atCap));

    const files = await treeOf(fake, commit).read(['registry/huge.yaml', 'registry/at-cap.yaml']);
    expect(files.get('registry/huge.yaml')!.byteLength).toBe(MAX_FILE_BYTES + 1);
    expect(files.get('registry/at-cap.yaml')!.byteLength).toBe(MAX_FILE_BYTES);
    expect(github.requests.filter((r) => r.includes('/git/blobs/'))).toEqual([`GET /repos/acme/registry/git/blobs/${atCap}`]);
  });

  it(`fetches at most ${BLOB_CONCURRENCY} blobs at a time, through nothing but request()`, async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`registry/app-${String(i).padStart(2, '0')}.yaml`] = `name: app-${i}\n`;
    const repo = createRepo(files);
    const commit = repo.sha();
    const fake = new FakeGitHubRepo(repo);
    fake.serveListing(github, commit);
    for (const p of Object.keys(files)) {
      const sha = repo.git('rev-parse', `${commit}:${p}`).trim();
      github.reply('GET', fake.path(`/git/blobs/${sha}`), 200, fake.blob(sha));
    }
    const real = github.octokit();
    let inFlight = 0;
    let most = 0;
    const counting = {
      request: async (route: string, params: Record<string, unknown>) => {
        inFlight++;
        most = Math.max(most, inFlight);
        try {
          await new Promise((r) => setTimeout(r, 5));
          return await real.request(route, params);
        } finally {
          inFlight--;
        }
      },
    } as unknown as GitHubClient;
    const tree = new GitHubTree({ octokit: counting, owner: 'acme', repo: 'registry', commitOrTreeSha: commit, label: 'head' });
    const read = await tree.read(Object.keys(files));
    expect(read.size).toBe(30);
    expect(most).toBe(BLOB_CONCURRENCY);
  });

  it('refuses bytes that do not hash to the blob id asked for', async () => {
    const repo = createRepo({ 'registry/a.yaml': 'name: a\n' });
    const commit = repo.sha();
    const fake = new FakeGitHubRepo(repo);
    fake.serveListing(github, commit);
    const sha = repo.git('rev-parse', `${commit}:registry/a.yaml`).trim();
    github.reply('GET', fake.path(`/git/blobs/${sha}`), 200, { ...fake.blob(sha), content: Buffer.from('name: b\n').toString('base64') });
    await expect(treeOf(fake, commit).read(['registry/a.yaml'])).rejects.toThrow(/does not match its id/);
  });
});

describe('GitHubTree errors', () => {
  it('a commit GitHub does not know is a SourceError saying so', async () => {
    const repo = createRepo({ 'registry/a.yaml': 'name: a\n' });
    const fake = new FakeGitHubRepo(repo);
    const ghost = 'deadbeef'.repeat(5);
    github.reply('GET', fake.path(`/git/commits/${ghost}`), 404, NOT_FOUND);
    github.reply('GET', fake.path(`/git/trees/${ghost}?recursive=1`), 404, NOT_FOUND);
    const error = await treeOf(fake, ghost)
      .listing()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toBe(
      `commit or tree ${ghost} was not found in acme/registry (GitHub answered 404). Check that it exists and that the App is installed on acme/registry with read access to its contents.`,
    );
  });

  it('a blob that has gone (404) or an empty repository (409) is a SourceError', async () => {
    const repo = createRepo({ 'registry/a.yaml': 'name: a\n', 'registry/b.yaml': 'name: b\n' });
    const commit = repo.sha();
    const fake = new FakeGitHubRepo(repo);
    fake.serveListing(github, commit);
    const a = repo.git('rev-parse', `${commit}:registry/a.yaml`).trim();
    github.reply('GET', fake.path(`/git/blobs/${a}`), 404, NOT_FOUND);
    const tree = treeOf(fake, commit);
    const gone = await tree.read(['registry/a.yaml']).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(SourceError);
    expect((gone as Error).message).toMatch(new RegExp(`^blob ${a} of head \\(${commit.slice(0, 7)}\\) was not found in acme/registry`));

    const b = repo.git('rev-parse', `${commit}:registry/b.yaml`).trim();
    github.reply('GET', fake.path(`/git/blobs/${b}`), 409, {
      message: 'Git Repository is empty.',
      documentation_url: 'https://docs.github.com/rest',
    });
    await expect(tree.read(['registry/b.yaml'])).rejects.toThrow(/is empty \(GitHub answered 409\)/);
  });

  it('an invalid request (422) is a SourceError; a refusal (403, e.g. a rate limit) is passed on as it is, for the retry plugins', async () => {
    const repo = createRepo({ 'registry/a.yaml': 'name: a\n' });
    const commit = repo.sha();
    const fake = new FakeGitHubRepo(repo);
    github.reply('GET', fake.path(`/git/commits/${commit}`), 200, fake.gitCommit(commit));
    github.reply('GET', fake.path(`/git/trees/${fake.treeOf(commit)}?recursive=1`), 422, {
      message: 'Validation Failed',
      documentation_url: 'https://docs.github.com/rest',
      errors: [],
    });
    const invalid = await treeOf(fake, commit)
      .listing()
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(SourceError);
    expect((invalid as Error).message).toMatch(/refused the request as invalid \(422\)/);

    fake.serveListing(github, commit);
    const a = repo.git('rev-parse', `${commit}:registry/a.yaml`).trim();
    github.reply('GET', fake.path(`/git/blobs/${a}`), 403, {
      message: 'API rate limit exceeded',
      documentation_url: 'https://docs.github.com/rest',
    });
    const refused = await treeOf(fake, commit)
      .read(['registry/a.yaml'])
      .catch((e: unknown) => e);
    expect(refused).not.toBeInstanceOf(SourceError);
    expect((refused as { status?: number }).status).toBe(403);
  });
});

describe('helpers', () => {
  it("gitBlobId is git's blob id", () => {
    expect(gitBlobId(new Uint8Array())).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
    expect(gitBlobId(Buffer.from('hello\n'))).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });

  it('normalizePrefix', () => {
    expect(['', '/', './', 'apps/gov', 'apps/gov/', '/apps/gov//'].map(normalizePrefix)).toEqual([
      '',
      '',
      '',
      'apps/gov/',
      'apps/gov/',
      'apps/gov/',
    ]);
  });
});

describe('GitHubTree with a blob cache', () => {
  it('reads a blob once for every tree and delivery that shares the cache, and keeps repositories apart', async () => {
    const repo = createRepo({ 'registry/finance/a.yaml': 'name: a\n', 'policies/approval.yaml': 'rules: []\n' });
    const first = repo.sha();
    repo.write('policies/approval.yaml', 'rules: [] # changed\n');
    repo.commit('second');
    const second = repo.sha();
    const fake = new FakeGitHubRepo(repo);
    fake.serveListing(github, first);
    fake.serveListing(github, second);
    const oid = gitBlobId(new TextEncoder().encode('name: a\n'));
    // Exactly once: a second request for this blob would find no mock and fail the test.
    github.reply('GET', fake.path(`/git/blobs/${oid}`), 200, fake.blob(oid));
    const cache = new MemoryBlobCache();
    const tree = (commit: string) =>
      new GitHubTree({
        octokit: github.octokit(),
        owner: fake.owner,
        repo: fake.name,
        commitOrTreeSha: commit,
        label: commit.slice(0, 7),
        blobCache: cache,
      });

    const a = await tree(first).read(['registry/finance/a.yaml']);
    const b = await tree(second).read(['registry/finance/a.yaml']);

    expect(new TextDecoder().decode(a.get('registry/finance/a.yaml'))).toBe('name: a\n');
    expect(b.get('registry/finance/a.yaml')).toEqual(a.get('registry/finance/a.yaml'));
    expect(cache.size).toBe(8);
    expect(cache.get(`other/repo:${oid}`), 'keyed by repository').toBeUndefined();
  });

  it('never keeps a blob whose bytes do not match its id', async () => {
    const repo = createRepo({ 'registry/finance/a.yaml': 'name: a\n' });
    const fake = new FakeGitHubRepo(repo);
    fake.serveListing(github, repo.sha());
    const oid = gitBlobId(new TextEncoder().encode('name: a\n'));
    github.reply('GET', fake.path(`/git/blobs/${oid}`), 200, {
      ...fake.blob(oid),
      content: Buffer.from('name: evil\n').toString('base64'),
    });
    const cache = new MemoryBlobCache();
    const tree = new GitHubTree({
      octokit: github.octokit(),
      owner: fake.owner,
      repo: fake.name,
      commitOrTreeSha: repo.sha(),
      label: 'head',
      blobCache: cache,
    });

    await expect(tree.read(['registry/finance/a.yaml'])).rejects.toThrow(/does not match its id/);
    expect(cache.size).toBe(0);
  });

  it('forgets the least recently used blobs beyond its size', () => {
    const cache = new MemoryBlobCache(10);
    cache.set('r:a', new Uint8Array(4));
    cache.set('r:b', new Uint8Array(4));
    cache.get('r:a');
    cache.set('r:c', new Uint8Array(4));
    expect([cache.get('r:a') !== undefined, cache.get('r:b') !== undefined, cache.get('r:c') !== undefined]).toEqual([true, false, true]);
    cache.set('r:huge', new Uint8Array(11));
    expect(cache.get('r:huge')).toBeUndefined();
  });
});
