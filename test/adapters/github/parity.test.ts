/**
 * The GitHub App and the CLI cannot disagree: judgeSources over GitHubTree sources (GitHub's
 * API, mocked from a real repository's objects) gives the same CheckReport as over CommitTree
 * sources (git itself), for the same commits, and reads the same files.
 */
import { describe, expect, it } from 'vitest';
import { CommitTree, mergeBase } from '../../../src/adapters/git/commit-tree.js';
import { GitHubTree, mergeBaseOf } from '../../../src/adapters/github/index.js';
import type { TreeSource } from '../../../src/adapters/tree-source.js';
import type { CheckReport } from '../../../src/core/check/report.js';
import { MAX_FILE_BYTES } from '../../../src/core/parse/limits.js';
import { judgeSources } from '../../../src/pipeline/judge-sources.js';
import { createSeededRepo, openPullRequest, useTempRepos, type GitRepo } from '../../helpers/git-repo.js';
import { fixture } from '../../helpers/paths.js';
import { FakeGitHubRepo } from './fake-repo.js';
import { useGitHubMock } from './mock-github.js';

useTempRepos();
const github = useGitHubMock();

type Reads = Record<'base' | 'origin' | 'head', string[]>;

/** Records the paths each role asks to read; keeps base === origin when they are one source. */
function recorded(base: TreeSource, origin: TreeSource, head: TreeSource, reads: Reads): [TreeSource, TreeSource, TreeSource] {
  const wrap = (source: TreeSource, role: keyof Reads): TreeSource => ({
    label: source.label,
    listing: () => source.listing(),
    read: (paths) => {
      reads[role].push(...paths);
      return source.read(paths);
    },
  });
  const b = wrap(base, 'base');
  return [b, origin === base ? b : wrap(origin, 'origin'), wrap(head, 'head')];
}

const labels = (commit: string) => ({ base: `main (${commit.slice(0, 7)})` });

async function viaGit(repo: GitRepo, baseCommit: string, headCommit: string, reads: Reads): Promise<CheckReport> {
  const base = new CommitTree(repo.dir, baseCommit, labels(baseCommit).base);
  const head = new CommitTree(repo.dir, headCommit, `feature (${headCommit.slice(0, 7)})`);
  const originCommit = (await mergeBase(repo.dir, baseCommit, headCommit)) ?? baseCommit;
  const origin = originCommit === baseCommit ? base : new CommitTree(repo.dir, originCommit, `merge base ${originCommit.slice(0, 7)}`);
  return judgeSources(...recorded(base, origin, head, reads));
}

async function viaGitHub(repo: GitRepo, baseCommit: string, headCommit: string, reads: Reads): Promise<CheckReport> {
  const fake = new FakeGitHubRepo(repo);
  const octokit = github.octokit();
  github.reply('GET', fake.path(`/compare/${baseCommit}...${headCommit}?per_page=1`), 200, fake.compare(baseCommit, headCommit));
  const originCommit = await mergeBaseOf(octokit, fake.owner, fake.name, baseCommit, headCommit);

  const source = (commit: string, label: string) => {
    fake.serveListing(github, commit);
    fake.serveBlobsOf(github, commit, served);
    return new GitHubTree({ octokit, owner: fake.owner, repo: fake.name, commitOrTreeSha: commit, label });
  };
  const served = new Set<string>();
  const base = source(baseCommit, labels(baseCommit).base);
  const head = source(headCommit, `feature (${headCommit.slice(0, 7)})`);
  const origin = originCommit === baseCommit ? base : source(originCommit, `merge base ${originCommit.slice(0, 7)}`);
  return judgeSources(...recorded(base, origin, head, reads));
}

async function expectParity(repo: GitRepo, baseRef: string, headRef: string): Promise<CheckReport> {
  const baseCommit = repo.sha(baseRef);
  const headCommit = repo.sha(headRef);
  const gitReads: Reads = { base: [], origin: [], head: [] };
  const apiReads: Reads = { base: [], origin: [], head: [] };
  const expected = await viaGit(repo, baseCommit, headCommit, gitReads);
  const actual = await viaGitHub(repo, baseCommit, headCommit, apiReads);

  expect(actual).toEqual(expected);
  for (const role of ['base', 'origin', 'head'] as const) expect([...apiReads[role]].sort(), role).toEqual([...gitReads[role]].sort());
  // Never more than needed: every blob fetched is one of a file some source was asked to read.
  const wanted = new Set<string>();
  for (const [role, commit] of [
    ['base', baseCommit],
    ['head', headCommit],
    ['origin', (await mergeBase(repo.dir, baseCommit, headCommit))!],
  ] as const) {
    for (const p of apiReads[role]) {
      const oid = repo.git('ls-tree', '-z', commit, '--', p).split('\t')[0]?.split(' ')[2];
      if (oid) wanted.add(oid);
    }
  }
  const fetched = github.requests.filter((r) => r.includes('/git/blobs/')).map((r) => r.split('/').pop()!);
  for (const sha of fetched) expect(wanted.has(sha), `fetched blob ${sha} nobody asked for`).toBe(true);
  return actual;
}

describe('judgeSources over GitHubTree gives the same report as over CommitTree', () => {
  it('a PR that adds an app and rewrites the policy (the base policy judges, governance approval needed)', async () => {
    const repo = createSeededRepo();
    openPullRequest(repo, {
      write: {
        'policies/approval.yaml': fixture('policies/approve-everything.yaml'),
        'registry/finance/headcount-cost-report.yaml': fixture('apps/headcount-cost-report.yaml'),
      },
    });
    const report = await expectParity(repo, 'main', 'feature');
    expect(report.decision).toBe('security_team_review');
    expect(report.governance).toEqual([{ path: 'policies/approval.yaml', change: 'modified' }]);
    expect(report.apps.map((a) => a.path)).toEqual(['registry/finance/headcount-cost-report.yaml']);
  });

  it('a PR behind a base that moved on, with a removal, a rename, a broken manifest, a symlink and a submodule', async () => {
    const repo = createSeededRepo();
    repo.branch('feature');
    repo.git('mv', 'registry/it/laptop-refresh-tracker.yaml', 'registry/it/laptop-tracker.yaml');
    repo.remove('registry/it/jira-sprint-digest.json');
    repo.write('registry/marketing/file-dropper.yaml', fixture('apps/file-dropper.yaml'));
    repo.write('registry/it/broken.yaml', 'name: [unclosed\n');
    repo.symlink('../../policies/owners.yaml', 'registry/it/sneaky.yaml');
    repo.git('add', '-A');
    repo.git('update-index', '--add', '--cacheinfo', `160000,${repo.sha('main')},registry/vendor/lib`);
    repo.git('commit', '-q', '--no-verify', '-m', 'feature');
    // Meanwhile the base gains an app of its own: not the PR's change.
    repo.checkout('main').write('registry/sales/standup-notes-bot.yaml', fixture('apps/standup-notes-bot.yaml'));
    repo.commit('main moves on');
    expect(await mergeBase(repo.dir, repo.sha('main'), repo.sha('feature'))).not.toBe(repo.sha('main'));

    const report = await expectParity(repo, 'main', 'feature');
    expect(report.decision).toBe('invalid');
    const codes = [...report.findings, ...report.apps.flatMap((a) => a.findings)].map((f) => `${f.path} ${f.code}`);
    expect(codes.some((c) => c.startsWith('registry/it/broken.yaml '))).toBe(true);
    expect(codes.some((c) => c.startsWith('registry/it/sneaky.yaml '))).toBe(true);
    expect(codes.some((c) => c.startsWith('registry/vendor/lib '))).toBe(true);
    expect(report.apps.map((a) => a.path)).not.toContain('registry/sales/standup-notes-bot.yaml');
  });

  it('an oversized manifest: same decision and finding, only the size in the message differs (its bytes are never fetched)', async () => {
    const repo = createSeededRepo();
    const huge = `${fixture('apps/standup-notes-bot.yaml')}# ${'x'.repeat(MAX_FILE_BYTES + 10 * 1024)}\n`;
    openPullRequest(repo, { write: { 'registry/sales/huge.yaml': huge } });
    const baseCommit = repo.sha('main');
    const headCommit = repo.sha('feature');
    const expected = await viaGit(repo, baseCommit, headCommit, { base: [], origin: [], head: [] });
    const actual = await viaGitHub(repo, baseCommit, headCommit, { base: [], origin: [], head: [] });
    const sizeless = (r: CheckReport) =>
      JSON.parse(JSON.stringify(r).replace(/This file is \d+ KiB/g, 'This file is N KiB')) as CheckReport;
    expect(sizeless(actual)).toEqual(sizeless(expected));
    const all = actual.apps.flatMap((a) => a.findings).concat(actual.findings);
    expect(all.map((f) => f.code)).toContain('parse.too-large');
    const hugeBlob = repo.git('rev-parse', `${headCommit}:registry/sales/huge.yaml`).trim();
    expect(github.requests.some((r) => r.endsWith(hugeBlob))).toBe(false);
  });
});
