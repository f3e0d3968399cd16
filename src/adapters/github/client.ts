import type { Octokit } from '@octokit/core';
import type { PaginateInterface } from '@octokit/plugin-paginate-rest';
import { SourceError } from '../../core/errors.js';

/**
 * What the GitHub adapters need from a client: only `request(route, parameters)`, typed
 * like @octokit/core's. An `Octokit` from @octokit/core, or the one Probot hands to a
 * webhook handler (with its retry and throttling plugins), both fit.
 */
export type GitHubClient = Pick<Octokit, 'request'>;

/**
 * A client that can also follow a list's pages by the `Link` headers GitHub sends
 * (@octokit/plugin-paginate-rest's `paginate`): Probot's Octokit has it; for @octokit/core,
 * `Octokit.plugin(paginateRest)`. The App's list reads take this (list-all.ts).
 */
export type PagingGitHubClient = GitHubClient & { paginate: PaginateInterface };

/** Where a repository lives on GitHub. */
export interface RepositoryRef {
  owner: string;
  repo: string;
}

/** The HTTP status of an Octokit RequestError (or anything shaped like one), if any. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  const status = (error as { status: unknown }).status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Turns the answers that mean "this is not there" (404), "this repository has no commits"
 * (409) and "this is not a valid object" (422) into a one-line SourceError. Anything else
 * (rate limits, server errors, network failures) is rethrown unchanged, for the client's
 * retry and throttling plugins and the caller's error handling.
 */
export function toSourceError(error: unknown, what: string, where: RepositoryRef): unknown {
  const status = statusOf(error);
  const repo = `${where.owner}/${where.repo}`;
  if (status === 404) {
    return new SourceError(
      `${what} was not found in ${repo} (GitHub answered 404). Check that it exists and that the App is installed on ${repo} with read access to its contents.`,
    );
  }
  if (status === 409) return new SourceError(`${what} could not be read: ${repo} is empty (GitHub answered 409).`);
  if (status === 422) return new SourceError(`${what} could not be read from ${repo}: GitHub refused the request as invalid (422).`);
  return error;
}
