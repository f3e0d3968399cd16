/**
 * Commits the record through GitHub's GraphQL `createCommitOnBranch`: GitHub makes the commit
 * (its author is the App's bot account) and signs it, so it shows as Verified. The mutation
 * takes every file's whole new contents, base64, and `expectedHeadOid`: the commit is made only
 * if the branch still points to the head the record was computed on (compare-and-swap).
 */
import { SourceError } from '../../core/errors.js';
import {
  CREATE_COMMIT_MUTATION,
  describeGraphQLErrors,
  graphQLErrorsOf,
  isBranchMoved,
  type CreateCommitAnswer,
  type CreateCommitInput,
  type MergeClient,
} from '../../adapters/github/graphql.js';

export interface CommitRequest {
  owner: string;
  repo: string;
  branch: string;
  expectedHead: string;
  message: { headline: string; body: string };
  /** Path -> new text. */
  files: ReadonlyMap<string, string>;
}

export type CommitOutcome = { status: 'committed'; oid: string; url?: string } | { status: 'moved'; detail: string };

export function createCommitInput(request: CommitRequest): CreateCommitInput {
  return {
    branch: { repositoryNameWithOwner: `${request.owner}/${request.repo}`, branchName: request.branch },
    message: request.message,
    fileChanges: { additions: [...request.files].map(([path, text]) => ({ path, contents: Buffer.from(text, 'utf8').toString('base64') })) },
    expectedHeadOid: request.expectedHead,
  };
}

export async function commitRecord(octokit: MergeClient, request: CommitRequest): Promise<CommitOutcome> {
  let answer: CreateCommitAnswer;
  try {
    answer = await octokit.graphql<CreateCommitAnswer>(CREATE_COMMIT_MUTATION, { input: createCommitInput(request) });
  } catch (error) {
    const errors = graphQLErrorsOf(error);
    if (!errors) throw error;
    if (isBranchMoved(errors)) return { status: 'moved', detail: describeGraphQLErrors(errors) };
    throw new SourceError(`GitHub refused the audit commit on ${request.branch}: ${describeGraphQLErrors(errors)}`);
  }
  const commit = answer?.createCommitOnBranch?.commit;
  if (!commit?.oid) throw new SourceError(`GitHub answered the audit commit on ${request.branch} without a commit`);
  return { status: 'committed', oid: commit.oid, url: commit.url };
}
