/**
 * Every item of a GitHub list endpoint, page after page as GitHub's `Link: <...>; rel="next"`
 * headers lead (@octokit/plugin-paginate-rest's `paginate`), 100 items a page.
 *
 * Stricter than `paginate` alone, because a list cut short can change a verdict (a commit list
 * missing its last page lets a committer approve their own change):
 * - a list longer than MAX_PAGES pages is refused, not truncated;
 * - `paginate` answers a 409 with an empty page and stops; that is refused too, as any other
 *   error answer is (the list could not be read);
 * - an answer that is not a list is refused.
 */
import type { PagingGitHubClient } from './client.js';

export const PER_PAGE = 100;
export const MAX_PAGES = 100;

type Route = Parameters<PagingGitHubClient['request']>[0];
/** `paginate` for any route with a map function (its typed overloads know each route's items; callers here name theirs). */
type PaginateAny = <T>(route: Route, parameters: Record<string, unknown>, map: (response: Page, done: () => void) => T[]) => Promise<T[]>;

interface Page {
  /** Set on every answer GitHub sent; missing on the empty page `paginate` makes up for a 409. */
  url?: string;
  headers: { link?: string };
  data: unknown;
}

const NEXT = /<[^<>]+>;\s*rel="next"/;

export async function listAll<T>(octokit: PagingGitHubClient, route: Route, parameters: Record<string, unknown>): Promise<T[]> {
  let pages = 0;
  const paginate = octokit.paginate as PaginateAny;
  return paginate<T>(route, { ...parameters, per_page: PER_PAGE }, (page) => {
    if (page.url === undefined) throw new Error(`GitHub answered ${route} with 409 (conflict): the list could not be read.`);
    if (!Array.isArray(page.data)) throw new Error(`GitHub answered ${route} with something that is not a list.`);
    pages++;
    if (pages >= MAX_PAGES && NEXT.test(page.headers.link ?? '')) {
      throw new Error(`GitHub's list ${route} has more than ${MAX_PAGES * PER_PAGE} items; the App does not judge lists that long.`);
    }
    return page.data as T[];
  });
}
