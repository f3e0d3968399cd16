/**
 * The GitHub App's tree adapter with hostile names (issue 9, section 5): names GitHub could
 * only decode lossily, control characters, and a symlink in place of a governed folder are
 * listed escaped or as links and refused by the core, exactly as through git.
 */
import { describe, expect, it } from 'vitest';
import { GitHubTree } from '../../../src/adapters/github/index.js';
import { SourceError } from '../../../src/core/errors.js';
import type { CheckReport } from '../../../src/core/check/report.js';
import { judgeSources } from '../../../src/pipeline/judge-sources.js';
import { createRepo, createSeededRepo, useTempRepos, type GitRepo } from '../../helpers/git-repo.js';
import { FakeGitHubRepo } from './fake-repo.js';
import { useGitHubMock } from './mock-github.js';

useTempRepos();
const github = useGitHubMock();

const raw = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => Buffer.from(p as string)));

function treeAt(fake: FakeGitHubRepo, commit: string, served: Set<string>): GitHubTree {
  fake.serveListing(github, commit);
  fake.serveBlobsOf(github, commit, served);
  return new GitHubTree({
    octokit: github.octokit(),
    owner: fake.owner,
    repo: fake.name,
    commitOrTreeSha: commit,
    label: commit.slice(0, 7),
  });
}

/** judgeSources over GitHub's API from `base` to `head` (base is the merge base). */
async function judgeViaGitHub(repo: GitRepo, base: string, head: string): Promise<CheckReport> {
  const fake = new FakeGitHubRepo(repo);
  const served = new Set<string>();
  const baseTree = treeAt(fake, base, served);
  return judgeSources(baseTree, baseTree, treeAt(fake, head, served));
}

const findingsOf = (report: CheckReport) => [...report.findings, ...report.apps.flatMap((a) => a.findings)];
const paths = (report: CheckReport, code: string) =>
  [
    ...new Set(
      findingsOf(report)
        .filter((f) => f.code === code)
        .map((f) => f.path),
    ),
  ].sort();

describe('GitHubTree with hostile names', () => {
  it('a name that is not UTF-8 (GitHub sends U+FFFD) is listed escaped and refused as tree.path-name', async () => {
    const repo = createSeededRepo();
    const base = repo.sha();
    const head = repo.commitRawNames([[raw('registry/it/app-', [0xff], '.yaml'), 'name: app-x\n']]);
    const report = await judgeViaGitHub(repo, base, head);
    expect(report.decision).toBe('invalid');
    expect(paths(report, 'tree.path-name')).toEqual(['registry/it/app-\\ufffd.yaml']);
  });

  it('two names GitHub decodes into one fail closed: neither is judged', async () => {
    const repo = createRepo({ 'README.md': 'hi\n' });
    const commit = repo.commitRawNames([
      [raw('registry/it/app-', [0xff], '.yaml'), 'a\n'],
      [raw('registry/it/app-', [0xfe], '.yaml'), 'b\n'],
    ]);
    const fake = new FakeGitHubRepo(repo);
    fake.serveListing(github, commit);
    const tree = new GitHubTree({ octokit: github.octokit(), owner: fake.owner, repo: fake.name, commitOrTreeSha: commit, label: 'head' });
    const error = await tree.listing().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toContain('two files are listed as "registry/it/app-\\ufffd.yaml"');
  });

  it('control characters (terminal escape, newline) in names are escaped and refused', async () => {
    const repo = createSeededRepo();
    const base = repo.sha();
    const head = repo.commitRawNames([
      [raw('registry/it/a\u001b[2Jb.yaml'), 'name: a\n'],
      [raw('policies/tests/x\ny.yaml'), 'x: 1\n'],
    ]);
    const report = await judgeViaGitHub(repo, base, head);
    expect(report.decision).toBe('invalid');
    expect(paths(report, 'tree.path-name')).toEqual(['policies/tests/x\\x0ay.yaml', 'registry/it/a\\x1b[2Jb.yaml']);
  });
});

describe('GitHubTree with a symlink in place of a governed folder', () => {
  for (const folder of ['registry', 'policies', 'connectors']) {
    it(`${folder} -> shadow (mode 120000) is listed as a symlink and refused as tree.symlink`, async () => {
      const repo = createSeededRepo();
      const base = repo.sha();
      repo.git('mv', folder, 'shadow');
      repo.symlink('shadow', folder);
      const head = repo.commit('link');
      const report = await judgeViaGitHub(repo, base, head);
      expect(report.decision).toBe('invalid');
      expect(paths(report, 'tree.symlink')).toEqual([folder]);
    });
  }
});
