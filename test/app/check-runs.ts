/**
 * Mocks POST /repos/{owner}/{repo}/check-runs and keeps each body the App sends, so a test
 * can assert on the check run's name, head_sha, conclusion and summary. Like useGitHubMock's
 * mocks (which do not keep bodies), the request is checked against GitHub's OpenAPI
 * description on arrival and the answer when registered; an unused mock fails the test
 * through useGitHubMock's pending-mock check (it is a nock interceptor too).
 */
import nock from 'nock';
import { API } from '../adapters/github/mock-github.js';
import { assertValidExchange, requestProblems } from '../adapters/github/openapi.js';
import { checkRun, updatedCheckRun } from './github-bodies.js';

export interface SentCheckRun {
  name: string;
  head_sha: string;
  status?: string;
  conclusion?: string;
  completed_at?: string;
  output?: { title: string; summary: string; text?: string };
  [key: string]: unknown;
}

export interface CheckRunCapture {
  readonly sent: SentCheckRun[];
  readonly problems: string[];
  /** Settles with the first check run sent: a test awaits the work, never the clock. */
  readonly first: Promise<SentCheckRun>;
}

export function expectCheckRuns(owner: string, repo: string, times = 1): CheckRunCapture {
  const path = `/repos/${owner}/${repo}/check-runs`;
  const sent: SentCheckRun[] = [];
  const problems: string[] = [];
  let firstSent!: (run: SentCheckRun) => void;
  const first = new Promise<SentCheckRun>((resolve) => (firstSent = resolve));
  const sample = { name: 'micro-app approval', head_sha: '0'.repeat(40), status: 'completed', conclusion: 'success' };
  assertValidExchange({ method: 'POST', path, body: sample }, { status: 201, body: checkRun(sample) });
  nock(API)
    .post(path)
    .times(times)
    .reply((uri, body) => {
      const parsed = (typeof body === 'string' ? JSON.parse(body) : body) as SentCheckRun;
      sent.push(parsed);
      firstSent(parsed);
      problems.push(...requestProblems({ method: 'POST', path: uri, body: parsed }));
      return [201, JSON.stringify(checkRun(parsed)), { 'content-type': 'application/json; charset=utf-8' }];
    });
  return { sent, problems, first };
}

/** Captures PATCH /repos/{owner}/{repo}/check-runs/{id}: the annotation batches after the first 50. */
export function expectCheckRunUpdates(owner: string, repo: string, times: number): CheckRunCapture {
  const sent: SentCheckRun[] = [];
  const problems: string[] = [];
  let firstSent!: (run: SentCheckRun) => void;
  const first = new Promise<SentCheckRun>((resolve) => (firstSent = resolve));
  nock(API)
    .patch(new RegExp(`^/repos/${owner}/${repo}/check-runs/\\d+$`))
    .times(times)
    .reply((uri, body) => {
      const parsed = (typeof body === 'string' ? JSON.parse(body) : body) as SentCheckRun;
      sent.push(parsed);
      firstSent(parsed);
      problems.push(...requestProblems({ method: 'PATCH', path: uri, body: parsed }));
      return [200, JSON.stringify(updatedCheckRun()), { 'content-type': 'application/json; charset=utf-8' }];
    });
  return { sent, problems, first };
}
