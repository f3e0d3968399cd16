/**
 * The OpenAPI subset the GitHub mocks are checked against: it is exactly what
 * scripts/extract-openapi.mjs extracts from the installed @octokit/openapi, and the checker
 * accepts GitHub's own examples and refuses what GitHub would not send or accept.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPERATIONS, extractSubset, loadFullDescription, renderSubset } from '../../../scripts/extract-openapi.mjs';
import { SUBSET_PATH, matchOperation, openApiSubset, requestProblems, responseProblems } from './openapi.js';

const TREE = '/repos/acme/registry/git/trees/4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const SHA = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391';

/**
 * Where GitHub's own example breaks GitHub's own schema (fields the schema requires are missing
 * from its example's files[] and requested_teams[]). Only these exact problems are excused.
 */
const KNOWN_EXAMPLE_DEFECTS: Record<string, RegExp[]> = {
  'GET /repos/{owner}/{repo}/commits/{ref} 200': [/body\/files\/0 must have required property '(contents_url|sha)'/],
  // Its pull-request example requests a team without the "type" the team schema requires.
  'GET /repos/{owner}/{repo}/pulls/{pull_number} 200': [/body\/requested_teams\/0 must have required property 'type'/],
  'GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls 200': [/body\/0\/requested_teams\/0 must have required property 'type'/],
  'GET /repos/{owner}/{repo}/pulls 200': [/body\/0\/requested_teams\/0 must have required property 'type'/],
  'POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers 201': [/body\/requested_teams\/0 must have required property 'type'/],
};

describe('the OpenAPI subset', () => {
  it('is what scripts/extract-openapi.mjs extracts from the installed @octokit/openapi (run the script when this fails)', () => {
    const { spec, version } = loadFullDescription();
    const expected = renderSubset(extractSubset(spec, version));
    expect(
      readFileSync(SUBSET_PATH, 'utf8') === expected,
      'test/fixtures/github/openapi-subset.json is stale: run node scripts/extract-openapi.mjs',
    ).toBe(true);
  });

  it('holds every listed operation and nothing else', () => {
    const subset = openApiSubset();
    const listed = Object.entries(subset.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((k) => k !== 'parameters')
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(listed.sort()).toEqual([...OPERATIONS].sort());
  });

  it('accepts every example GitHub gives for these operations', () => {
    const subset = openApiSubset();
    const concrete = (template: string) =>
      template.replace(/\{(\w+)\}/g, (_m, n: string) =>
        n === 'basehead' ? 'main...feature' : n === 'owner' ? 'acme' : n === 'repo' ? 'registry' : SHA,
      );
    let checked = 0;
    for (const [template, item] of Object.entries(subset.paths as Record<string, Record<string, any>>)) {
      for (const [method, op] of Object.entries(item)) {
        if (method === 'parameters') continue;
        for (const [status, response] of Object.entries(op.responses as Record<string, any>)) {
          const media = response.content?.['application/json'];
          for (const example of Object.values((media?.examples ?? {}) as Record<string, any>)) {
            const value = example.$ref ? subset.components.examples[example.$ref.split('/').pop()].value : example.value;
            const key = `${method.toUpperCase()} ${template} ${status}`;
            const problems = responseProblems({ method, path: concrete(template) }, { status: Number(status), body: value }).filter(
              (p) => !(KNOWN_EXAMPLE_DEFECTS[key] ?? []).some((known) => known.test(p)),
            );
            expect(problems, key).toEqual([]);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(5);
  });
});

describe('the request checker', () => {
  it('finds the operation and decodes its path parameters', () => {
    const m = matchOperation('GET', '/repos/acme/registry/compare/main...feature%2Fx');
    expect(m?.template).toBe('/repos/{owner}/{repo}/compare/{basehead}');
    expect(m?.pathParams).toEqual({ owner: 'acme', repo: 'registry', basehead: 'main...feature/x' });
  });

  it('accepts a described request', () => {
    expect(requestProblems({ method: 'GET', path: `${TREE}?recursive=1` })).toEqual([]);
    expect(requestProblems({ method: 'GET', path: '/repos/acme/registry/compare/a...b', query: { per_page: '1' } })).toEqual([]);
  });

  it('refuses an unknown route, an unknown method, an unknown or invalid query parameter and a body on a GET', () => {
    expect(requestProblems({ method: 'GET', path: '/repos/acme/registry/git/tree/abc' }).join()).toMatch(/no such operation/);
    expect(requestProblems({ method: 'DELETE', path: TREE }).join()).toMatch(/no such operation/);
    expect(requestProblems({ method: 'GET', path: `${TREE}?recurse=1` }).join()).toMatch(/unknown query parameter "recurse"/);
    expect(requestProblems({ method: 'GET', path: '/repos/acme/registry/compare/a...b?per_page=lots' }).join()).toMatch(/per_page/);
    expect(requestProblems({ method: 'GET', path: TREE, body: '{"a":1}' }).join()).toMatch(/takes no body/);
  });
});

describe('the response checker', () => {
  const tree = {
    sha: SHA,
    url: `https://api.github.com${TREE}`,
    truncated: false,
    tree: [{ path: 'a', mode: '100644', type: 'blob', sha: SHA, size: 0 }],
  };

  it("accepts a tree shaped like GitHub's", () => {
    expect(responseProblems({ method: 'GET', path: TREE }, { status: 200, body: tree })).toEqual([]);
  });

  it('refuses a tree without "truncated", an entry without a mode, a wrong type, and an undescribed status', () => {
    const { truncated: _t, ...noTruncated } = tree;
    expect(responseProblems({ method: 'GET', path: TREE }, { status: 200, body: noTruncated }).join()).toMatch(/truncated/);
    const noMode = { ...tree, tree: [{ path: 'a', type: 'blob', sha: SHA }] };
    expect(responseProblems({ method: 'GET', path: TREE }, { status: 200, body: noMode }).join()).toMatch(/mode/);
    expect(responseProblems({ method: 'GET', path: TREE }, { status: 200, body: { ...tree, truncated: 'no' } }).join()).toMatch(/boolean/);
    expect(responseProblems({ method: 'GET', path: TREE }, { status: 418, body: {} }).join()).toMatch(/does not describe status 418/);
  });

  it('checks error bodies against the described error response', () => {
    expect(
      responseProblems(
        { method: 'GET', path: TREE },
        { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' } },
      ),
    ).toEqual([]);
    expect(responseProblems({ method: 'GET', path: TREE }, { status: 404, body: { message: 404 } }).join()).toMatch(/message/);
  });

  it("applies OpenAPI's nullable: a blob's size may be null, its content may not", () => {
    const blob = { sha: SHA, node_id: 'x', url: 'https://api.github.com/x', size: null, content: '', encoding: 'base64' };
    const path = `/repos/acme/registry/git/blobs/${SHA}`;
    expect(responseProblems({ method: 'GET', path }, { status: 200, body: blob })).toEqual([]);
    expect(responseProblems({ method: 'GET', path }, { status: 200, body: { ...blob, content: null } }).join()).toMatch(/content/);
  });
});
