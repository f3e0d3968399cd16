/**
 * mergeBaseOf: where a pull request's change starts, from GitHub's compare API, checked
 * against `git merge-base` on a real temporary repository.
 */
import { describe, expect, it } from 'vitest';
import { mergeBase } from '../../../src/adapters/git/commit-tree.js';
import { mergeBaseOf } from '../../../src/adapters/github/index.js';
import { SourceError } from '../../../src/core/errors.js';
import { createRepo, useTempRepos } from '../../helpers/git-repo.js';
import { FakeGitHubRepo } from './fake-repo.js';
import { useGitHubMock } from './mock-github.js';

useTempRepos();
const github = useGitHubMock();

describe('mergeBaseOf', () => {
  it("is the compare API's merge_base_commit: the fork point when the base moved on", async () => {
    const repo = createRepo({ 'registry/a.yaml': 'name: a\n' });
    const fork = repo.sha();
    repo.branch('feature').write('registry/b.yaml', 'name: b\n');
    const head = repo.commit('feature');
    repo.checkout('main').write('registry/c.yaml', 'name: c\n');
    const base = repo.commit('main moves on');
    const fake = new FakeGitHubRepo(repo);
    github.reply('GET', fake.path(`/compare/${base}...${head}?per_page=1`), 200, fake.compare(base, head));

    const sha = await mergeBaseOf(github.octokit(), 'acme', 'registry', base, head);
    expect(sha).toBe(fork);
    expect(sha).not.toBe(base);
    expect(sha).toBe(await mergeBase(repo.dir, base, head));
  });

  it('is the base itself when the head is simply ahead', async () => {
    const repo = createRepo({ 'registry/a.yaml': 'name: a\n' });
    const base = repo.sha();
    repo.branch('feature').write('registry/b.yaml', 'name: b\n');
    const head = repo.commit('feature');
    const fake = new FakeGitHubRepo(repo);
    github.reply('GET', fake.path(`/compare/${base}...${head}?per_page=1`), 200, fake.compare(base, head));
    expect(await mergeBaseOf(github.octokit(), 'acme', 'registry', base, head)).toBe(base);
  });

  it('a comparison GitHub cannot find is a SourceError', async () => {
    const repo = createRepo({ 'registry/a.yaml': 'name: a\n' });
    const fake = new FakeGitHubRepo(repo);
    github.reply('GET', fake.path('/compare/main...gone?per_page=1'), 404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest/commits/commits#compare-two-commits',
      status: '404',
    });
    const error = await mergeBaseOf(github.octokit(), 'acme', 'registry', 'main', 'gone').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toMatch(/^the comparison main\.\.\.gone was not found in acme\/registry \(GitHub answered 404\)/);
  });
});
