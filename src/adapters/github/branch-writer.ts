/**
 * The branch-writer port (adapters/branch-writer.ts) over GitHub's API, for the App: the tip is
 * the default branch's head as GraphQL reports it (never a webhook payload), "is on the branch"
 * is GitHub's compare (the merge base of the commit and the tip is the commit), and the commit
 * is GraphQL's `createCommitOnBranch`: GitHub makes the commit (its author is the App's bot
 * account) and signs it, so it shows as Verified. The mutation takes every file's whole new
 * contents, base64, and `expectedHeadOid`: GitHub's "expected branch to point to" refusal
 * (STALE_DATA) is the port's `moved`, with the tip read again.
 */
import type { BranchCommitOptions, BranchCommitResult, BranchWriter } from '../branch-writer.js';
import { SourceError } from '../../core/errors.js';
import {
  BRANCH_HEAD_QUERY,
  CREATE_COMMIT_MUTATION,
  describeGraphQLErrors,
  graphQLErrorsOf,
  isBranchMoved,
  type BranchHeadAnswer,
  type CreateCommitAnswer,
  type CreateCommitInput,
  type GraphQLClient,
} from './graphql.js';
import { mergeBaseOf } from './merge-base.js';

export interface BranchHead {
  branch: string;
  head: string;
}

/** The repository's default branch and the commit it points to, asked of GitHub. */
export async function readDefaultBranch(octokit: GraphQLClient, owner: string, repo: string): Promise<BranchHead> {
  const answer = await octokit.graphql<BranchHeadAnswer>(BRANCH_HEAD_QUERY, { owner, name: repo });
  const ref = answer?.repository?.defaultBranchRef;
  const head = ref?.target?.oid;
  if (!ref?.name || typeof head !== 'string')
    throw new SourceError(`GitHub did not say what the default branch of ${owner}/${repo} is, or where it points`);
  return { branch: ref.name, head: head.toLowerCase() };
}

/** Writes the default branch `branch` of owner/repo; fails when the default branch is another one now. */
export class GitHubBranchWriter implements BranchWriter {
  constructor(
    private readonly octokit: GraphQLClient,
    private readonly owner: string,
    private readonly repo: string,
    readonly branch: string,
  ) {}

  async head(): Promise<string> {
    const at = await readDefaultBranch(this.octokit, this.owner, this.repo);
    if (at.branch !== this.branch)
      throw new SourceError(`the default branch changed from ${this.branch} to ${at.branch} while recording; nothing was recorded`);
    return at.head;
  }

  async contains(head: string, commit: string): Promise<boolean> {
    if (commit === head) return true;
    return (await mergeBaseOf(this.octokit, this.owner, this.repo, commit, head)).toLowerCase() === commit;
  }

  async commit(files: ReadonlyMap<string, string>, options: BranchCommitOptions): Promise<BranchCommitResult> {
    let answer: CreateCommitAnswer;
    try {
      answer = await this.octokit.graphql<CreateCommitAnswer>(CREATE_COMMIT_MUTATION, { input: this.input(files, options) });
    } catch (error) {
      const errors = graphQLErrorsOf(error);
      if (!errors) throw error;
      if (isBranchMoved(errors)) return { kind: 'moved', head: await this.head(), detail: describeGraphQLErrors(errors) };
      throw new SourceError(`GitHub refused the audit commit on ${this.branch}: ${describeGraphQLErrors(errors)}`);
    }
    const commit = answer?.createCommitOnBranch?.commit;
    if (!commit?.oid) throw new SourceError(`GitHub answered the audit commit on ${this.branch} without a commit`);
    return { kind: 'committed', sha: commit.oid.toLowerCase(), signed: true, url: commit.url };
  }

  private input(files: ReadonlyMap<string, string>, options: BranchCommitOptions): CreateCommitInput {
    return {
      branch: { repositoryNameWithOwner: `${this.owner}/${this.repo}`, branchName: this.branch },
      message: options.message,
      fileChanges: { additions: [...files].map(([path, text]) => ({ path, contents: Buffer.from(text, 'utf8').toString('base64') })) },
      expectedHeadOid: options.expectedHead,
    };
  }
}
