/**
 * Captures what the App does after its check run: review requests, labels, the explaining
 * comment, its approving review and the dismissal of it, plus its GET /app lookup. The mocks may go unused (most
 * scenarios do not need every step) and answer any number of times; each request is checked
 * against GitHub's OpenAPI description on arrival and its body kept for the test to assert on.
 */
import nock from 'nock';
import { API } from '../adapters/github/mock-github.js';
import { assertValidExchange, requestProblems } from '../adapters/github/openapi.js';
import { appRecord, issueComment, labelItems, pullRequestSimple, submittedReview } from './github-bodies.js';
import { OWNER, REPO } from './serve-evaluation.js';

export const APP_SLUG = 'microapps-approval';
export const BOT_LOGIN = `${APP_SLUG}[bot]`;

type Json = Record<string, any>;

export interface FollowUps {
  /** Every follow-up request, "METHOD /path", in order. */
  readonly requests: string[];
  readonly reviewRequests: Array<{ reviewers?: string[]; team_reviewers?: string[] }>;
  readonly labelsAdded: string[];
  readonly labelsRemoved: string[];
  readonly commentsCreated: string[];
  readonly commentsUpdated: Array<{ id: number; body: string }>;
  readonly reviewsSubmitted: Json[];
  /** Reviews dismissed (PUT .../reviews/{id}/dismissals): the pull request, the review and the body sent. */
  readonly dismissals: Array<{ pullNumber: number; reviewId: number; body: Json }>;
  readonly problems: string[];
  /** Settles when the App creates its explaining comment: a test awaits the work, never the clock. */
  readonly commentCreated: Promise<string>;
}

export interface FollowUpOptions {
  /** Comments already on the pull request. */
  comments?: Json[];
  /** Answer the review request with this status (default 201). */
  reviewRequestStatus?: number;
  /** Answer a dismissal with this status (default 200). */
  dismissalStatus?: number;
}

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

export function captureFollowUps(options: FollowUpOptions = {}): FollowUps {
  // Built here, not at load: serve-evaluation.ts and this module import each other.
  // Any pull request of the repository (a push judges several again); the paths in `requests` say which.
  const ISSUE = `/repos/${OWNER}/${REPO}/issues/\\d+`;
  const PRS = `/repos/${OWNER}/${REPO}/pulls/\\d+`;
  const exactly = (pattern: string) => new RegExp(`^${pattern}$`);
  let created!: (body: string) => void;
  const commentCreated = new Promise<string>((resolve) => (created = resolve));
  const f: FollowUps = {
    requests: [],
    reviewRequests: [],
    labelsAdded: [],
    labelsRemoved: [],
    commentsCreated: [],
    commentsUpdated: [],
    reviewsSubmitted: [],
    dismissals: [],
    problems: [],
    commentCreated,
  };
  const comments = options.comments ?? [];
  const seen = (method: string, uri: string, body?: unknown) => {
    f.requests.push(`${method} ${decodeURIComponent(uri)}`);
    const parsed = typeof body === 'string' && body !== '' ? JSON.parse(body) : body;
    f.problems.push(...requestProblems({ method, path: uri, body: parsed === '' ? undefined : parsed }));
    return parsed as Json;
  };
  /** The answer, checked against the description too (with the request it answers). */
  const answer = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, status: number, body: unknown, request?: Json) => {
    assertValidExchange({ method, path, body: request }, { status, body });
    return [status, body === undefined ? '' : JSON.stringify(body), JSON_TYPE] as const;
  };

  // A mock that throws would leave the App's request hanging: record the problem and answer 500 instead.
  const guard =
    <A extends unknown[]>(fn: (...args: A) => readonly [number, string, Record<string, string>]) =>
    (...args: A) => {
      try {
        return fn(...args);
      } catch (error) {
        f.problems.push(String(error));
        return [500, '{"message":"mock failed"}', JSON_TYPE] as const;
      }
    };
  const scope = nock(API).persist();
  scope
    .get('/app')
    .optionally()
    .reply(
      guard((uri: string) => {
        seen('GET', uri);
        return answer('GET', '/app', 200, appRecord(APP_SLUG));
      }),
    );
  scope
    .get(exactly(`${ISSUE}/comments`))
    .query(true)
    .optionally()
    .reply(
      guard((uri: string) => {
        seen('GET', uri);
        return answer('GET', uri.split('?')[0]!, 200, comments);
      }),
    );
  scope
    .post(exactly(`${ISSUE}/comments`))
    .optionally()
    .reply(
      guard((uri: string, body: unknown) => {
        const b = seen('POST', uri, body);
        f.commentsCreated.push(String(b.body));
        created(String(b.body));
        return answer('POST', uri, 201, issueComment({ id: 7001, body: String(b.body), login: BOT_LOGIN, bot: true }), b);
      }),
    );
  scope
    .patch(/\/repos\/[^/]+\/[^/]+\/issues\/comments\/\d+$/)
    .optionally()
    .reply(
      guard((uri: string, body: unknown) => {
        const b = seen('PATCH', uri, body);
        const id = Number(uri.split('/').pop());
        f.commentsUpdated.push({ id, body: String(b.body) });
        return answer('PATCH', uri, 200, issueComment({ id, body: String(b.body), login: BOT_LOGIN, bot: true }), b);
      }),
    );
  scope
    .post(exactly(`${ISSUE}/labels`))
    .optionally()
    .reply(
      guard((uri: string, body: unknown) => {
        const b = seen('POST', uri, body);
        f.labelsAdded.push(...(b.labels as string[]));
        return answer('POST', uri, 200, labelItems(b.labels as string[]), b);
      }),
    );
  scope
    .delete(exactly(`${ISSUE}/labels/[^/]+`))
    .optionally()
    .reply(
      guard((uri: string) => {
        seen('DELETE', uri);
        f.labelsRemoved.push(decodeURIComponent(uri.split('/').pop()!));
        return answer('DELETE', uri, 200, labelItems([]));
      }),
    );
  scope
    .post(exactly(`${PRS}/requested_reviewers`))
    .optionally()
    .reply(
      guard((uri: string, body: unknown) => {
        const b = seen('POST', uri, body);
        f.reviewRequests.push(b as FollowUps['reviewRequests'][number]);
        const status = options.reviewRequestStatus ?? 201;
        return status === 201
          ? answer('POST', uri, 201, pullRequestSimple(), b)
          : // GitHub's description gives this answer no body.
            answer('POST', uri, status, undefined, b);
      }),
    );
  scope
    .post(exactly(`${PRS}/reviews`))
    .optionally()
    .reply(
      guard((uri: string, body: unknown) => {
        const b = seen('POST', uri, body);
        f.reviewsSubmitted.push(b);
        return answer(
          'POST',
          uri,
          200,
          submittedReview({ id: 8001, login: BOT_LOGIN, commitId: String(b.commit_id), body: String(b.body) }),
          b,
        );
      }),
    );
  scope
    .put(exactly(`${PRS}/reviews/\\d+/dismissals`))
    .optionally()
    .reply(
      guard((uri: string, body: unknown) => {
        const b = seen('PUT', uri, body);
        const [, pullNumber, reviewId] = /\/pulls\/(\d+)\/reviews\/(\d+)\/dismissals$/.exec(uri)!;
        f.dismissals.push({ pullNumber: Number(pullNumber), reviewId: Number(reviewId), body: b });
        const status = options.dismissalStatus ?? 200;
        return status === 200
          ? answer(
              'PUT',
              uri,
              200,
              {
                ...submittedReview({ id: Number(reviewId), login: BOT_LOGIN, commitId: 'a'.repeat(40), body: 'dismissed' }),
                state: 'DISMISSED',
              },
              b,
            )
          : answer('PUT', uri, status, { message: 'Validation Failed', documentation_url: 'https://docs.github.com/rest' }, b);
      }),
    );
  return f;
}
