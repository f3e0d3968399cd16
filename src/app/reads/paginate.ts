/**
 * Every page of a GitHub list endpoint through `request` only (GitHubClient): asks for 100
 * items a page and stops at the first short page. A safety cap stops a runaway loop.
 */
import type { GitHubClient } from '../../adapters/github/index.js';

export const PER_PAGE = 100;
const MAX_PAGES = 100;

type Route = Parameters<GitHubClient['request']>[0];

export async function listAll<T>(octokit: GitHubClient, route: Route, parameters: Record<string, unknown>): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { data } = (await octokit.request(route, { ...parameters, per_page: PER_PAGE, page })) as { data: unknown };
    if (!Array.isArray(data)) throw new Error(`GitHub answered ${String(route)} with something that is not a list.`);
    all.push(...(data as T[]));
    if (data.length < PER_PAGE) return all;
  }
  throw new Error(`GitHub's list ${String(route)} has more than ${MAX_PAGES * PER_PAGE} items; the App does not judge lists that long.`);
}
