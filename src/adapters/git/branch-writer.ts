/**
 * The branch-writer port (adapters/branch-writer.ts) over a local clone: the tip is
 * refs/heads/<branch>, the commit is made from a private index and moved in with
 * `git update-ref` expecting the old tip (commit-files.ts), signed with git's SSH signing when
 * the clone is configured for it. When the branch is checked out in the clone, its working
 * tree follows the new commit (a clean two-tree merge only).
 */
import type { BranchCommitOptions, BranchCommitResult, BranchWriter } from '../branch-writer.js';
import { SourceError } from '../../core/errors.js';
import { commitFiles, type Identity } from './commit-files.js';
import { resolveCommit } from './commit-tree.js';
import { runGit } from './run-git.js';

export interface GitBranchWriterOptions {
  /** Where the registry sits in the repository ("" at the top, else e.g. "governance/"): files are written under it. */
  prefix: string;
  committer: Identity;
  /** The SSH key to sign with (a path, or the key's text); unsigned without one. */
  signingKey?: string | { text: string };
}

export class GitBranchWriter implements BranchWriter {
  constructor(
    private readonly root: string,
    readonly branch: string,
    private readonly options: GitBranchWriterOptions,
  ) {}

  async head(): Promise<string> {
    return resolveCommit(this.root, `refs/heads/${this.branch}`).catch(() => {
      throw new SourceError(`there is no branch "${this.branch}" to record the merge on`);
    });
  }

  async contains(head: string, commit: string): Promise<boolean> {
    return (await runGit(this.root, ['merge-base', '--is-ancestor', commit, head])).code === 0;
  }

  async commit(files: ReadonlyMap<string, string>, options: BranchCommitOptions): Promise<BranchCommitResult> {
    const result = await commitFiles(this.root, {
      branch: this.branch,
      parent: options.expectedHead,
      files: new Map([...files].map(([path, text]) => [`${this.options.prefix}${path}`, text])),
      message: `${options.message.headline}\n\n${options.message.body}\n`,
      committer: this.options.committer,
      signingKey: this.options.signingKey,
    });
    if (result.status === 'moved') {
      if (!result.actual) throw new SourceError(`the branch ${this.branch} was deleted while the merge was being recorded`);
      return { kind: 'moved', head: result.actual, detail: `${this.branch} points to ${result.actual.slice(0, 7)} now` };
    }
    await this.followWorkingTree(options.expectedHead, result.commit);
    return { kind: 'committed', sha: result.commit, signed: result.signed };
  }

  /** When the branch is checked out here, bring the working tree along (a clean two-tree merge only). */
  private async followWorkingTree(from: string, to: string): Promise<void> {
    const head = await runGit(this.root, ['symbolic-ref', '--quiet', 'HEAD']);
    if (head.code !== 0 || head.stdout.toString('utf8').trim() !== `refs/heads/${this.branch}`) return;
    await runGit(this.root, ['read-tree', '-m', '-u', from, to]);
  }
}
