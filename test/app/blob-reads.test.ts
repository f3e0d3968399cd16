/**
 * Blob reads are single-flight (blob-cache.ts): concurrent first evaluations of pull requests in
 * one repository share each blob's download, so GitHub is asked once per distinct blob. The
 * evaluations are the App's own (judgePullRequest: merge base, three trees, the core's plan),
 * against a real temporary registry served by nock; each blob is mocked to answer ONCE, so a
 * second request for it finds no mock and fails the test.
 */
import { describe, expect, it } from 'vitest';
import { MemoryBlobCache } from '../../src/adapters/github/index.js';
import { judgePullRequest } from '../../src/app/evaluation/judge-pull-request.js';
import type { PullRequestState } from '../../src/app/reads/pull-request.js';
import { FakeGitHubRepo } from '../adapters/github/fake-repo.js';
import { useGitHubMock, type GitHubMock } from '../adapters/github/mock-github.js';
import { createSeededRepo, openPullRequest, useTempRepos } from '../helpers/git-repo.js';
import { fixture } from '../helpers/paths.js';
import { gitRef } from './github-bodies.js';

useTempRepos();
const github = useGitHubMock();

const EVALUATIONS = 20;

function served(fake: FakeGitHubRepo, baseSha: string, headSha: string, times: number): Set<string> {
  github.reply(
    'GET',
    fake.path(`/git/ref/${encodeURIComponent('heads/main')}`),
    200,
    gitRef({ owner: fake.owner, repo: fake.name, branch: 'main', sha: baseSha }),
    { times },
  );
  github.reply('GET', fake.path(`/compare/${baseSha}...${headSha}?per_page=1`), 200, fake.compare(baseSha, headSha), { times });
  fake.serveListing(github, baseSha, { times });
  fake.serveListing(github, headSha, { times });
  const blobs = new Set<string>();
  for (const commit of [baseSha, headSha]) {
    for (const e of fake.tree(fake.treeOf(commit), true).tree) {
      if (e.type !== 'blob' || blobs.has(e.sha)) continue;
      blobs.add(e.sha);
      // Once: which blobs the core reads is its plan's business, but none is read twice.
      github.reply('GET', fake.path(`/git/blobs/${e.sha}`), 200, fake.blob(e.sha), { optional: true });
    }
  }
  return blobs;
}

function state(headSha: string): PullRequestState {
  return {
    author: 'citizen-dev',
    baseRef: 'main',
    headSha,
    headRef: 'feature',
    open: true,
    defaultBranch: 'main',
    labels: [],
    requestedUsers: [],
    requestedTeams: [],
  };
}

const blobRequests = (mock: GitHubMock, fake: FakeGitHubRepo) =>
  mock.requests.filter((r) => r.startsWith(`GET ${fake.path('/git/blobs/')}`));

describe('app: blob reads follow distinct content', () => {
  it(`${EVALUATIONS} concurrent first evaluations in one repository ask GitHub once per distinct blob`, async () => {
    const repo = createSeededRepo();
    openPullRequest(repo, { write: { 'registry/hr/team-anniversaries.yaml': fixture('apps/team-anniversaries.yaml') } });
    const fake = new FakeGitHubRepo(repo);
    const [baseSha, headSha] = [repo.sha('main'), repo.sha('feature')];
    served(fake, baseSha, headSha, EVALUATIONS);
    const cache = new MemoryBlobCache();
    const ref = { owner: fake.owner, repo: fake.name, pullNumber: 1 };

    const judged = await Promise.all(
      Array.from({ length: EVALUATIONS }, (_, i) =>
        judgePullRequest(github.octokit(), { ...ref, pullNumber: i + 1 }, state(headSha), cache),
      ),
    );

    const reads = blobRequests(github, fake);
    expect(reads.length).toBeGreaterThan(5);
    expect(new Set(reads).size, 'no blob was asked for twice').toBe(reads.length);
    const decisions = new Set(judged.map((j) => JSON.stringify(j.report.apps.map((a) => [a.path, a.decision]))));
    expect(decisions.size, 'every evaluation reached the same verdict').toBe(1);
  });

  it("two repositories with the same content each read their own blobs (never another repository's answer)", async () => {
    const repo = createSeededRepo();
    openPullRequest(repo, { write: { 'registry/it/standup-notes-bot.yaml': fixture('apps/standup-notes-bot.yaml') } });
    const [baseSha, headSha] = [repo.sha('main'), repo.sha('feature')];
    const one = new FakeGitHubRepo(repo, 'org-one', 'registry');
    const two = new FakeGitHubRepo(repo, 'org-two', 'registry');
    served(one, baseSha, headSha, 3);
    served(two, baseSha, headSha, 3);
    const cache = new MemoryBlobCache();

    await Promise.all(
      [one, two, one, two, one, two].map((fake, i) =>
        judgePullRequest(github.octokit(), { owner: fake.owner, repo: fake.name, pullNumber: i + 1 }, state(headSha), cache),
      ),
    );

    const [readsOne, readsTwo] = [blobRequests(github, one), blobRequests(github, two)];
    expect(readsOne.length).toBeGreaterThan(0);
    expect(new Set(readsOne).size).toBe(readsOne.length);
    expect(readsTwo.map((r) => r.replace('org-two', 'org-one')).sort()).toEqual([...readsOne].sort());
  });

  it('a failed download is shared by the evaluations waiting for it, and not kept: the next read asks again', async () => {
    const cache = new MemoryBlobCache();
    let downloads = 0;
    const failing = () => {
      downloads++;
      return Promise.reject(new Error('GitHub answered 502'));
    };
    const waiting = [cache.load('o/r:abc', failing), cache.load('o/r:abc', failing)];
    for (const w of waiting) await expect(w).rejects.toThrow('502');
    expect(downloads).toBe(1);
    const bytes = await cache.load('o/r:abc', async () => {
      downloads++;
      return new Uint8Array([1, 2, 3]);
    });
    expect([...bytes]).toEqual([1, 2, 3]);
    expect(downloads).toBe(2);
    expect(cache.get('o/r:abc')).toEqual(bytes);
  });
});
