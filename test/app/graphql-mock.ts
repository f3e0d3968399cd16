/**
 * GitHub's GraphQL API (POST https://api.github.com/graphql), mocked with nock and checked
 * against GitHub's own schema (@octokit/graphql-schema): every document the App sends must
 * validate (the schema package's `validate`: fields, arguments, types), and its variables must
 * be accepted by the operation's variable definitions (graphql's `getVariableValues`: required
 * fields, input object shapes, scalars). Problems are collected and fail the test afterwards.
 *
 *   const graphql = useGraphQLMock();
 *   graphql.answer('MicroappsBranchHead', { data: { ... } });     // answered once, in order
 *   graphql.calls   // [{ operation, query, variables }] in arrival order
 *
 * Answers are registered per operation name and used in order; an operation that arrives with
 * no answer left is a request no mock answered (useGitHubMock's check reports it), and an answer
 * never used is a mock never made (the same check).
 */
import { schema, validate } from '@octokit/graphql-schema';
import { buildClientSchema, getVariableValues, Kind, parse, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import nock from 'nock';
import { afterEach, beforeEach, expect } from 'vitest';
import { API } from '../adapters/github/mock-github.js';

type Json = Record<string, any>;

export interface GraphQLCall {
  operation: string;
  query: string;
  variables: Json;
}

export interface GraphQLMock {
  /** Answer the next request of `operation` with `body` (HTTP 200 unless `status` is given). */
  answer(operation: string, body: unknown | ((call: GraphQLCall) => unknown), status?: number): void;
  readonly calls: GraphQLCall[];
  readonly problems: string[];
}

let built: GraphQLSchema | undefined;
const githubSchema = (): GraphQLSchema => (built ??= buildClientSchema(schema.json as never));

/** Problems with one request to GitHub's GraphQL API, or [] when its schema accepts it. */
export function graphQLProblems(query: string, variables: Json = {}): string[] {
  const invalid = validate(query).map((e) => `document: ${e.message}`);
  if (invalid.length > 0) return invalid;
  const document = parse(query);
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1) return [`document: ${operations.length} operations; the App sends exactly one`];
  const coerced = getVariableValues(githubSchema(), operations[0]!.variableDefinitions ?? [], variables, { maxErrors: 20 });
  return 'errors' in coerced && coerced.errors ? coerced.errors.map((e) => `variables: ${e.message}`) : [];
}

/** The operation's name ("MicroappsBranchHead"), or "" for an anonymous one. */
export function operationName(query: string): string {
  return /^\s*(?:query|mutation|subscription)\s+(\w+)/.exec(query)?.[1] ?? '';
}

export function useGraphQLMock(): GraphQLMock {
  const calls: GraphQLCall[] = [];
  const problems: string[] = [];
  beforeEach(() => {
    calls.length = 0;
    problems.length = 0;
  });
  afterEach(() => {
    expect(problems, "GraphQL requests that GitHub's schema refuses").toEqual([]);
  });
  return {
    calls,
    problems,
    answer(operation, body, status = 200) {
      nock(API)
        .post('/graphql', (sent: Json) => typeof sent?.query === 'string' && operationName(sent.query) === operation)
        .reply((_uri, sent) => {
          const request = (typeof sent === 'string' ? JSON.parse(sent) : sent) as Json;
          const call: GraphQLCall = { operation, query: String(request.query), variables: (request.variables ?? {}) as Json };
          calls.push(call);
          problems.push(...graphQLProblems(call.query, call.variables).map((p) => `${operation}: ${p}`));
          const answer = typeof body === 'function' ? (body as (c: GraphQLCall) => unknown)(call) : body;
          return [status, JSON.stringify(answer), { 'content-type': 'application/json; charset=utf-8' }];
        });
    },
  };
}

/** The answer to MicroappsBranchHead: the default branch and its head. */
export function branchHeadAnswer(oid: string, branch = 'main'): Json {
  return { data: { repository: { defaultBranchRef: { name: branch, target: { oid } } } } };
}

/** The answer to a createCommitOnBranch that made `oid`. */
export function commitCreatedAnswer(oid: string, owner = 'Codertocat', repo = 'Hello-World'): Json {
  return { data: { createCommitOnBranch: { commit: { oid, url: `https://github.com/${owner}/${repo}/commit/${oid}` } } } };
}

/**
 * GitHub's answer when the branch no longer points to expectedHeadOid: HTTP 200, no commit, an
 * error of type STALE_DATA (as observed against github.com; see docs/github-app.md).
 */
export function branchMovedAnswer(expected: string): Json {
  return {
    data: { createCommitOnBranch: null },
    errors: [
      {
        type: 'STALE_DATA',
        path: ['createCommitOnBranch'],
        locations: [{ line: 2, column: 3 }],
        message: `Expected branch to point to "${expected}" but it did not.  Pull and try again.`,
      },
    ],
  };
}
