/**
 * listAll: every page of a GitHub list, following the Link headers GitHub sends
 * (`<...&page=2>; rel="next", <...&page=3>; rel="last"`) through @octokit/plugin-paginate-rest,
 * and refusing, never truncating, a list it cannot read whole: longer than MAX_PAGES pages, a
 * 409 mid-list (which `paginate` alone turns into the end of the list), or an answer that is not
 * a list. GitHub is nock at the HTTP boundary, every answer checked against its description.
 */
import { Octokit } from '@octokit/core';
import { paginateRest } from '@octokit/plugin-paginate-rest';
import { describe, expect, it } from 'vitest';
import { MAX_PAGES, PER_PAGE, listAll } from '../../../src/adapters/github/index.js';
import { teamMember } from '../../app/github-bodies.js';
import { API, pageLinks, useGitHubMock } from './mock-github.js';

const github = useGitHubMock();
const PagingOctokit = Octokit.plugin(paginateRest);
const octokit = () => new PagingOctokit({ baseUrl: API });

const MEMBERS = '/orgs/acme/teams/security/members';
const ROUTE = 'GET /orgs/{org}/teams/{team_slug}/members';
const PARAMETERS = { org: 'acme', team_slug: 'security' };
const pagePath = (page: number) => `${MEMBERS}?per_page=100${page === 1 ? '' : `&page=${page}`}`;

/** Serves `pages` pages of members (the last one `lastPageSize` long), each with the Link header GitHub sends. */
function serveMembers(pages: number, lastPageSize: number, linkPages = pages): string[] {
  const logins: string[] = [];
  for (let page = 1; page <= pages; page++) {
    const size = page === pages ? lastPageSize : PER_PAGE;
    const items = Array.from({ length: size }, (_, i) => `member-${page}-${i}`);
    logins.push(...items);
    const link = pageLinks(`${API}${MEMBERS}?per_page=100`, page, linkPages);
    github.reply(
      'GET',
      pagePath(page),
      200,
      items.map((login) => teamMember(login)),
      link ? { headers: { link } } : {},
    );
  }
  return logins;
}

describe("listAll over GitHub's Link headers", () => {
  it('asks for 100 a page and follows rel="next" to the last page: every page is requested once, in order, every item kept', async () => {
    const logins = serveMembers(3, 7);

    const members = await listAll<{ login: string }>(octokit(), ROUTE, PARAMETERS);

    expect(github.requests).toEqual([`GET ${pagePath(1)}`, `GET ${pagePath(2)}`, `GET ${pagePath(3)}`]);
    expect(members.map((m) => m.login)).toEqual(logins);
    expect(members).toHaveLength(2 * PER_PAGE + 7);
  });

  it('a full page with no rel="next" is the last one (GitHub says when there is more, not the page size)', async () => {
    const logins = serveMembers(1, PER_PAGE);

    expect((await listAll<{ login: string }>(octokit(), ROUTE, PARAMETERS)).map((m) => m.login)).toEqual(logins);
    expect(github.requests).toEqual([`GET ${pagePath(1)}`]);
  });

  it(`a list of exactly ${MAX_PAGES} pages is read whole`, async () => {
    const logins = serveMembers(MAX_PAGES, PER_PAGE);

    const members = await listAll<{ login: string }>(octokit(), ROUTE, PARAMETERS);

    expect(members).toHaveLength(MAX_PAGES * PER_PAGE);
    expect(members.at(-1)!.login).toBe(logins.at(-1));
    expect(github.requests).toHaveLength(MAX_PAGES);
  });

  it(`a list whose page ${MAX_PAGES} still links to a next page is refused, and that page is never asked for`, async () => {
    // GitHub would serve page 101 (the Link header names it); it is not mocked, so asking for it fails the test.
    serveMembers(MAX_PAGES, PER_PAGE, MAX_PAGES + 1);

    const error = await listAll(octokit(), ROUTE, PARAMETERS).catch((e: unknown) => e);

    expect(String(error)).toContain(
      `GitHub's list ${ROUTE} has more than ${MAX_PAGES * PER_PAGE} items; the App does not judge lists that long.`,
    );
    expect(github.requests).toHaveLength(MAX_PAGES);
    expect(github.requests.at(-1)).toBe(`GET ${pagePath(MAX_PAGES)}`);
  });

  it('a 409 on a later page refuses the list instead of ending it there', async () => {
    const link = pageLinks(`${API}${MEMBERS}?per_page=100`, 1, 2)!;
    github.reply('GET', pagePath(1), 200, [teamMember('security-alice')], { headers: { link } });
    github.reply(
      'GET',
      pagePath(2),
      409,
      { message: 'Conflict', documentation_url: 'https://docs.github.com/rest' },
      { undescribedAnswer: true },
    );

    const error = await listAll(octokit(), ROUTE, PARAMETERS).catch((e: unknown) => e);

    expect(String(error)).toContain(`GitHub answered ${ROUTE} with 409 (conflict): the list could not be read.`);
    expect(github.requests).toEqual([`GET ${pagePath(1)}`, `GET ${pagePath(2)}`]);
  });

  it('any other error answer is rethrown as Octokit gave it (its status kept for the caller)', async () => {
    github.reply(
      'GET',
      pagePath(1),
      404,
      { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/teams/members#list-team-members' },
      { undescribedAnswer: true },
    );

    const error = await listAll(octokit(), ROUTE, PARAMETERS).catch((e: unknown) => e);

    expect((error as { status?: number }).status).toBe(404);
  });

  it('an answer that is not a list is refused', async () => {
    github.reply('GET', pagePath(1), 200, { login: 'security-alice' }, { undescribedAnswer: true });

    const error = await listAll(octokit(), ROUTE, PARAMETERS).catch((e: unknown) => e);

    expect(String(error)).toContain(`GitHub answered ${ROUTE} with something that is not a list.`);
  });
});
