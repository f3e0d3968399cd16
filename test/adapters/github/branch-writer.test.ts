/**
 * The GitHub branch writer through nock at the HTTP boundary: GraphQL documents checked against
 * GitHub's schema (@octokit/graphql-schema), answers shaped as github.com sends them. A commit
 * made, the STALE_DATA refusal as `moved` with the tip read again, another refusal as an error,
 * and "is on the branch" through the compare API.
 */
import { describe, expect, it } from 'vitest';
import { GitHubBranchWriter } from '../../../src/adapters/github/branch-writer.js';
import { branchHeadAnswer, branchMovedAnswer, commitCreatedAnswer, useGraphQLMock } from '../../app/graphql-mock.js';
import { createRepo, useTempRepos } from '../../helpers/git-repo.js';
import { FakeGitHubRepo } from './fake-repo.js';
import { useGitHubMock } from './mock-github.js';

useTempRepos();
const github = useGitHubMock();
const graphql = useGraphQLMock();

const OWNER = 'acme';
const REPO = 'registry';
const sha = (c: string) => c.repeat(40);
const message = { headline: 'audit: record 1 app change of aaaaaaa', body: `- added x (auto_approve)\n\nMicroapps-Audit-Of: ${sha('a')}` };
const writer = () => new GitHubBranchWriter(github.octokit(), OWNER, REPO, 'main');

describe('GitHubBranchWriter', () => {
  it("head: the default branch's tip; a renamed default branch stops the record", async () => {
    graphql.answer('MicroappsBranchHead', branchHeadAnswer(sha('B')));
    expect(await writer().head()).toBe(sha('b'));
    graphql.answer('MicroappsBranchHead', branchHeadAnswer(sha('b'), 'trunk'));
    await expect(writer().head()).rejects.toThrow('the default branch changed from main to trunk while recording; nothing was recorded');
    expect(graphql.calls.map((c) => c.variables)).toEqual([
      { owner: OWNER, name: REPO },
      { owner: OWNER, name: REPO },
    ]);
  });

  it("commit: createCommitOnBranch with the files base64 and expectedHeadOid; GitHub's commit comes back", async () => {
    const made = sha('c');
    graphql.answer('MicroappsRecordMerge', commitCreatedAnswer(made, OWNER, REPO));

    const result = await writer().commit(
      new Map([
        ['audit/log.jsonl', '{"seq":1}\n'],
        ['generated/gateway/kong.yaml', 'services: []\n'],
      ]),
      { expectedHead: sha('b'), message },
    );

    expect(result).toEqual({ kind: 'committed', sha: made, signed: true, url: `https://github.com/${OWNER}/${REPO}/commit/${made}` });
    expect(graphql.calls[0]!.variables).toEqual({
      input: {
        branch: { repositoryNameWithOwner: `${OWNER}/${REPO}`, branchName: 'main' },
        message,
        fileChanges: {
          additions: [
            { path: 'audit/log.jsonl', contents: Buffer.from('{"seq":1}\n').toString('base64') },
            { path: 'generated/gateway/kong.yaml', contents: Buffer.from('services: []\n').toString('base64') },
          ],
        },
        expectedHeadOid: sha('b'),
      },
    });
  });

  it('commit on a branch that moved: GitHub\'s STALE_DATA refusal is "moved", with the tip read again', async () => {
    graphql.answer('MicroappsRecordMerge', branchMovedAnswer(sha('b')));
    graphql.answer('MicroappsBranchHead', branchHeadAnswer(sha('d')));

    const result = await writer().commit(new Map([['audit/log.jsonl', '{}\n']]), { expectedHead: sha('b'), message });

    expect(result).toEqual({
      kind: 'moved',
      head: sha('d'),
      detail: `STALE_DATA: Expected branch to point to "${sha('b')}" but it did not.  Pull and try again.`,
    });
    expect(graphql.calls.map((c) => c.operation)).toEqual(['MicroappsRecordMerge', 'MicroappsBranchHead']);
  });

  it('another refusal is an error that says what GitHub said', async () => {
    graphql.answer('MicroappsRecordMerge', {
      data: { createCommitOnBranch: null },
      errors: [
        {
          type: 'FORBIDDEN',
          path: ['createCommitOnBranch'],
          locations: [{ line: 2, column: 3 }],
          message: 'Resource not accessible by integration',
        },
      ],
    });
    await expect(writer().commit(new Map([['audit/log.jsonl', '{}\n']]), { expectedHead: sha('b'), message })).rejects.toThrow(
      'GitHub refused the audit commit on main: FORBIDDEN: Resource not accessible by integration',
    );
  });

  it("contains: the tip itself without a request; else the compare API's merge base is the commit", async () => {
    const repo = createRepo({ 'registry/a.yaml': 'name: a\n' });
    const merged = repo.sha();
    repo.write('registry/b.yaml', 'name: b\n');
    const tip = repo.commit('after the merge');
    repo.checkout(merged).branch('rewritten').write('registry/c.yaml', 'name: c\n');
    const beside = repo.commit('beside');
    const fake = new FakeGitHubRepo(repo, OWNER, REPO);
    github.reply('GET', fake.path(`/compare/${merged}...${tip}?per_page=1`), 200, fake.compare(merged, tip));
    github.reply('GET', fake.path(`/compare/${beside}...${tip}?per_page=1`), 200, fake.compare(beside, tip));

    expect(await writer().contains(tip, tip)).toBe(true);
    expect(await writer().contains(tip, merged)).toBe(true);
    expect(await writer().contains(tip, beside)).toBe(false);
    expect(github.requests).toHaveLength(2);
  });
});
