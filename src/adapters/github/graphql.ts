/**
 * The GraphQL documents the GitHub branch writer sends (branch-writer.ts; the tests validate
 * each against GitHub's schema, @octokit/graphql-schema) and how it reads GitHub's answers.
 *
 * Sent through Octokit's `graphql`, which posts to /graphql (/api/graphql on GitHub Enterprise
 * Server) and throws a GraphqlResponseError, carrying `errors` and `data`, when the answer has
 * errors: GitHub answers a refused mutation with HTTP 200 and an `errors` list, not an HTTP error.
 */
import type { Octokit } from '@octokit/core';
import type { GitHubClient, PagingGitHubClient } from './client.js';

/** What the branch writer needs from a client: REST requests and GraphQL. */
export type GraphQLClient = GitHubClient & Pick<Octokit, 'graphql'>;

/** What the merge work needs from a client: REST requests with pages, and GraphQL (Probot's Octokit has all). */
export type MergeClient = PagingGitHubClient & GraphQLClient;

/** The default branch and the commit it points to now. */
export const BRANCH_HEAD_QUERY = `query MicroappsBranchHead($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) {
    defaultBranchRef {
      name
      target {
        oid
      }
    }
  }
}`;

export interface BranchHeadAnswer {
  repository: { defaultBranchRef: { name: string; target: { oid: string } | null } | null } | null;
}

/**
 * One commit on a branch, made by GitHub from the files given (GitHub signs it: Verified),
 * only if the branch still points to `expectedHeadOid`.
 */
export const CREATE_COMMIT_MUTATION = `mutation MicroappsRecordMerge($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) {
    commit {
      oid
      url
    }
  }
}`;

export interface CreateCommitInput {
  branch: { repositoryNameWithOwner: string; branchName: string };
  message: { headline: string; body: string };
  fileChanges: { additions: Array<{ path: string; contents: string }> };
  expectedHeadOid: string;
}

export interface CreateCommitAnswer {
  createCommitOnBranch: { commit: { oid: string; url: string } | null } | null;
}

/** One entry of a GraphQL answer's `errors`, as GitHub sends it (`type` is GitHub's addition). */
export interface GraphQLErrorEntry {
  message?: string;
  type?: string;
  path?: Array<string | number>;
}

/** The `errors` of a GraphqlResponseError (or anything shaped like one); undefined for other errors. */
export function graphQLErrorsOf(error: unknown): GraphQLErrorEntry[] | undefined {
  if (typeof error !== 'object' || error === null || !('errors' in error)) return undefined;
  const errors = (error as { errors: unknown }).errors;
  return Array.isArray(errors) ? (errors as GraphQLErrorEntry[]) : undefined;
}

/**
 * GitHub's answer when the branch no longer points to `expectedHeadOid`: HTTP 200 with
 * `data.createCommitOnBranch: null` and an error of type STALE_DATA whose message reads
 * `Expected branch to point to "<oid>" but it did not.  Pull and try again.` Either sign is enough.
 */
export function isBranchMoved(errors: readonly GraphQLErrorEntry[]): boolean {
  return errors.some((e) => e.type === 'STALE_DATA' || /expected branch to point to/i.test(e.message ?? ''));
}

/** The errors in one line, for logs and thrown errors. */
export function describeGraphQLErrors(errors: readonly GraphQLErrorEntry[]): string {
  return errors.map((e) => `${e.type ? `${e.type}: ` : ''}${e.message ?? 'no message'}`).join('; ');
}
