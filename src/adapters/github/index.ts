/**
 * The GitHub App's view of a repository through GitHub's REST API: trees and blobs
 * (GitHubTree, a TreeSource like CommitTree) and where a pull request starts (mergeBaseOf).
 * Everything goes through one `request(route, parameters)` method, so an @octokit/core client
 * or Probot's Octokit (with its retry and throttling plugins) can be passed in; the App's list
 * reads (listAll) also need `paginate`, which Probot's Octokit has.
 */
export { statusOf, toSourceError, type GitHubClient, type PagingGitHubClient, type RepositoryRef } from './client.js';
export { MAX_PAGES, PER_PAGE, listAll } from './list-all.js';
export { BLOB_CONCURRENCY, GitHubTree, gitBlobId, normalizePrefix, type GitHubTreeOptions } from './github-tree.js';
export { mergeBaseOf } from './merge-base.js';
export { MemoryBlobCache, type BlobCache } from './blob-cache.js';
