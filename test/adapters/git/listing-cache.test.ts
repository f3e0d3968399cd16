/**
 * The tree adapters cache a listing by the governance paths asked for, not by the names they
 * list: "action" (a file) and "action/" (a folder) are listed with the same git pathspec but
 * keep different entries, so one must never be answered with the other's listing.
 */
import { describe, expect, it } from 'vitest';
import { CommitTree } from '../../../src/adapters/git/commit-tree.js';
import { WorkingTree } from '../../../src/adapters/git/working-tree.js';
import { createSeededRepo, useTempRepos } from '../../helpers/git-repo.js';

useTempRepos();

describe('listings are cached per list of governance paths', () => {
  it('CommitTree: "action" then "action/" lists action/x.js the second time', async () => {
    const repo = createSeededRepo();
    repo.write('action/x.js', 'run()\n');
    repo.commit('the gate code');
    const tree = new CommitTree(repo.dir, repo.sha('main'), 'main');
    const paths = async (governance: string[]) =>
      (await tree.listing(governance)).entries.map((e) => e.path).filter((p) => p.startsWith('action'));
    expect(await paths(['action'])).toEqual([]);
    expect(await paths(['action/'])).toEqual(['action/x.js']);
    expect(await paths(['action'])).toEqual([]);
  });

  it('WorkingTree: the same', async () => {
    const repo = createSeededRepo();
    repo.write('action/x.js', 'run()\n');
    const tree = new WorkingTree(repo.dir);
    const paths = async (governance: string[]) =>
      (await tree.listing(governance)).entries.map((e) => e.path).filter((p) => p.startsWith('action'));
    expect(await paths(['action'])).toEqual([]);
    expect(await paths(['action/'])).toEqual(['action/x.js']);
  });
});
