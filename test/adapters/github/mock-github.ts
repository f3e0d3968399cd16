/**
 * GitHub's REST API, mocked with nock and checked against GitHub's OpenAPI description.
 *
 *   const github = useGitHubMock();            // in a describe or at the top of a test file
 *   github.reply('GET', '/repos/o/r/git/trees/abc?recursive=1', 200, body);
 *   const octokit = github.octokit();
 *
 * Every mock is validated when it is registered (route, parameters, status, body), and every
 * request is validated again when it arrives. After each test, the test fails if a request
 * had no mock, a mock was not used (unless registered as optional), or a request broke the
 * description. Network access is switched off for the whole file.
 */
import { Octokit } from '@octokit/core';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { assertValidExchange, requestProblems } from './openapi.js';

export const API = 'https://api.github.com';

/**
 * The Link header GitHub sends with page `page` of `last` of a list at `url` (its query without
 * `page`), e.g. `<...&page=2>; rel="next", <...&page=3>; rel="last"`; undefined for a list of one page.
 */
export function pageLinks(url: string, page: number, last: number): string | undefined {
  if (last <= 1) return undefined;
  const at = (n: number) => `<${url}${url.includes('?') ? '&' : '?'}page=${n}>`;
  const links: string[] = [];
  if (page > 1) links.push(`${at(page - 1)}; rel="prev"`);
  if (page < last) links.push(`${at(page + 1)}; rel="next"`, `${at(last)}; rel="last"`);
  if (page > 1) links.push(`${at(1)}; rel="first"`);
  return links.join(', ');
}

export interface ReplyOptions {
  /** The mock may go unused (e.g. blobs whose reading depends on the core's plan). */
  optional?: boolean;
  /** Answer this many times (default 1); Infinity: any number of times. */
  times?: number;
  /** Extra response headers (e.g. retry-after, x-ratelimit-*). */
  headers?: Record<string, string>;
  /** Called when the request arrives; the answer waits until the promise it returns settles. */
  hold?: () => Promise<unknown>;
  /**
   * Skip the check of the answer against GitHub's description: for the rate-limit answers
   * (403/429) that GitHub can give on any endpoint but does not describe for each.
   */
  undescribedAnswer?: boolean;
}

export interface GitHubMock {
  reply(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    pathAndQuery: string,
    status: number,
    body?: unknown,
    options?: ReplyOptions,
  ): void;
  /** Requests answered so far, as "METHOD /path?query", in arrival order. */
  readonly requests: string[];
  /** A fresh @octokit/core client (no auth; core has no retry plugin). */
  octokit(): Octokit;
}

export function useGitHubMock(): GitHubMock {
  const requests: string[] = [];
  const unmatched: string[] = [];
  const violations: string[] = [];
  const onNoMatch = (req: {
    method?: string;
    path?: string;
    href?: string;
    url?: string;
    options?: { method?: string; path?: string; href?: string };
  }) => {
    const method = req.method ?? req.options?.method ?? '?';
    const where = req.href ?? req.options?.href ?? req.url ?? req.path ?? req.options?.path ?? '?';
    unmatched.push(`${method} ${where}`);
  };

  beforeAll(() => {
    nock.disableNetConnect();
  });
  afterAll(() => {
    nock.enableNetConnect();
  });
  beforeEach(() => {
    requests.length = 0;
    unmatched.length = 0;
    violations.length = 0;
    nock.emitter.on('no match', onNoMatch);
  });
  afterEach(() => {
    nock.emitter.removeListener('no match', onNoMatch);
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(unmatched, 'requests to GitHub that no mock answered').toEqual([]);
    expect(violations, "requests that break GitHub's OpenAPI description").toEqual([]);
    expect(pending, 'mocked GitHub requests that were never made').toEqual([]);
  });

  return {
    requests,
    octokit: () => new Octokit({ baseUrl: API }),
    reply(method, pathAndQuery, status, body, options = {}) {
      const url = new URL(pathAndQuery, API);
      const query = Object.fromEntries(url.searchParams);
      assertValidExchange({ method, path: url.pathname, query }, options.undescribedAnswer ? undefined : { status, body });
      let interceptor = nock(API)
        .intercept(url.pathname, method)
        .query(Object.keys(query).length > 0 ? query : (q: Record<string, unknown>) => Object.keys(q).length === 0);
      const times = options.times ?? 1;
      if (times !== 1 && Number.isFinite(times)) interceptor = interceptor.times(times);
      if (options.optional) interceptor = interceptor.optionally();
      const scope = interceptor.reply(async function (uri, requestBody) {
        requests.push(`${method} ${uri}`);
        violations.push(...requestProblems({ method: this.req.method ?? method, path: uri, body: requestBody }));
        await options.hold?.();
        return [
          status,
          body === undefined ? '' : JSON.stringify(body),
          { 'content-type': 'application/json; charset=utf-8', ...options.headers },
        ];
      });
      if (times === Infinity) scope.persist();
    },
  };
}
