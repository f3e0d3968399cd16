/**
 * The Octokit the App's Probot is built with (server.ts, serverless.ts and the tests alike):
 * Probot's own client with one plugin of ours that wraps every request the App makes, as the
 * App or as an installation.
 *
 * - Rate limits are waited out and retried. GitHub answers a secondary limit with 403 or 429
 *   and `retry-after`, a spent quota with `x-ratelimit-remaining: 0` and `x-ratelimit-reset`.
 *   Probot's throttling plugin gives up on secondary limits and waits for any reset however far
 *   away, so it is switched off here. A request is retried at most `maxRetries` times and only
 *   while the waits add up to no more than `maxWaitMs`; then the error goes to the handler,
 *   which fails the check (a failure grants nothing).
 * - Writes are serialised per installation (one at a time, `writeGapMs` apart, as GitHub asks
 *   of integrations), never across installations: Probot's limiter keyed every webhook
 *   client alike, so one installation's slow write held up every other installation's.
 *
 * Server errors (5xx) are still retried by Probot's retry plugin, which leaves 403 and 429 to us.
 */
import { ProbotOctokit } from 'probot';
import { KeyedQueue } from '../delivery/serialize.js';

export interface GitHubLimits {
  /** Retries of one request after a rate limit (default 3). */
  maxRetries: number;
  /** The most one request waits for rate limits in total (default 60 s). */
  maxWaitMs: number;
  /** Least time between the starts of two writes of one installation (default 1 s). */
  writeGapMs: number;
  /** Injectable for tests, which must not wait on the clock. */
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

export const DEFAULT_LIMITS: GitHubLimits = {
  maxRetries: 3,
  maxWaitMs: 60_000,
  writeGapMs: 1_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: Date.now,
};

/** GitHub's advice when a secondary limit names no wait: at least a minute. */
const SECONDARY_FALLBACK_MS = 60_000;
/** Statuses Probot's retry plugin does not retry: its defaults, and 429, which is a rate limit for us to wait out. */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451];

interface RequestOptions {
  method?: string;
  url?: string;
}

interface ErrorLike {
  status?: unknown;
  message?: unknown;
  response?: { headers?: Record<string, string | number | undefined> };
}

/**
 * How long GitHub asks to wait before retrying after `error`, in ms; undefined when the error
 * is not a rate limit (a 403 for a missing permission is never retried).
 */
export function rateLimitWaitMs(error: unknown, now: number): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, message, response } = error as ErrorLike;
  if (status !== 403 && status !== 429) return undefined;
  const header = (name: string) => {
    const value = response?.headers?.[name];
    return value === undefined ? undefined : String(value);
  };
  const retryAfter = header('retry-after');
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  if (header('x-ratelimit-remaining') === '0') {
    const reset = Number(header('x-ratelimit-reset'));
    // One second past the reset, as GitHub's docs advise; a missing reset means the next hour.
    return Number.isFinite(reset) ? Math.max(0, reset * 1000 - now) + 1000 : 60 * 60 * 1000;
  }
  if (typeof message === 'string' && /secondary rate limit|rate limit exceeded/i.test(message)) return SECONDARY_FALLBACK_MS;
  return undefined;
}

interface GraphQLBody {
  errors?: Array<{ type?: unknown }>;
}

/**
 * GitHub's GraphQL API reports a spent quota as HTTP 200 with an error of type RATE_LIMITED:
 * made an error here (with the answer's headers) so that it is waited out like a REST limit.
 */
function graphqlRateLimit(
  options: RequestOptions,
  response: { headers?: Record<string, string | number | undefined>; data?: unknown },
): Error | undefined {
  if (!new URL(options.url ?? '/', 'http://github.invalid').pathname.endsWith('/graphql')) return undefined;
  const errors = (response.data as GraphQLBody | undefined)?.errors;
  if (!Array.isArray(errors) || !errors.some((e) => e?.type === 'RATE_LIMITED')) return undefined;
  return Object.assign(new Error("GitHub's GraphQL API rate limit exceeded"), {
    status: 403,
    response: { headers: response.headers ?? {} },
  });
}

/** Runs `send`, waiting out and retrying rate limits within `limits`; the last error is rethrown. */
export async function withRateLimitRetries<T>(
  send: () => Promise<T>,
  limits: GitHubLimits,
  warn: (message: string) => void,
  what: string,
): Promise<T> {
  let waited = 0;
  for (let retry = 0; ; retry++) {
    try {
      return await send();
    } catch (error) {
      const wait = rateLimitWaitMs(error, limits.now());
      if (wait === undefined) throw error;
      if (retry >= limits.maxRetries || waited + wait > limits.maxWaitMs) {
        if (error instanceof Error) {
          error.message +=
            ` (GitHub's rate limit: gave up after ${retry} ${retry === 1 ? 'retry' : 'retries'}` +
            `${wait > limits.maxWaitMs - waited ? `; it asked to wait ${Math.ceil(wait / 1000)} s more, over the ${Math.round(limits.maxWaitMs / 1000)} s allowed` : ''})`;
        }
        throw error;
      }
      warn(`GitHub's rate limit on ${what}: retrying in ${Math.ceil(wait / 1000)} s (retry ${retry + 1} of ${limits.maxRetries})`);
      await limits.sleep(wait);
      waited += wait;
    }
  }
}

/** Token requests are not writes: they happen inside a write (to authenticate it) and must not queue behind it. */
function isWrite(options: RequestOptions): boolean {
  const method = (options.method ?? 'GET').toUpperCase();
  if (method === 'GET' || method === 'HEAD') return false;
  const path = new URL(options.url ?? '/', 'http://github.invalid').pathname;
  return !/^\/app\/installations\/[^/]+\/access_tokens$/.test(path);
}

/** Serialises writes per key, each starting at least `gapMs` after the previous one started. */
class WriteQueues {
  private readonly queue = new KeyedQueue();
  private readonly lastStart = new Map<string, number>();

  constructor(private readonly limits: GitHubLimits) {}

  run<T>(key: string, send: () => Promise<T>): Promise<T> {
    return this.queue.run(key, async () => {
      const last = this.lastStart.get(key);
      const wait = last === undefined ? 0 : last + this.limits.writeGapMs - this.limits.now();
      if (wait > 0) await this.limits.sleep(wait);
      this.lastStart.set(key, this.limits.now());
      // Bounded: one entry per installation seen by this process.
      return send();
    });
  }
}

type Plugin = Parameters<typeof ProbotOctokit.plugin>[0];

/** The App's Octokit class; each call makes its own write queues (one per Probot). */
export function createAppOctokit(overrides: Partial<GitHubLimits> = {}) {
  const limits: GitHubLimits = { ...DEFAULT_LIMITS, ...overrides };
  const writes = new WriteQueues(limits);
  const plugin: Plugin = (octokit, options) => {
    // Webhook clients carry their installation in auth; the App's own client has none.
    const installation = (options as { auth?: { installationId?: unknown } }).auth?.installationId;
    const key = installation === undefined ? 'app' : `installation ${String(installation)}`;
    const warn = (message: string) => (octokit as { log?: { warn(m: string): void } }).log?.warn(message);
    octokit.hook.wrap('request', (request, requestOptions) => {
      const what = `${requestOptions.method} ${requestOptions.url}`;
      const send = () =>
        withRateLimitRetries(
          async () => {
            const response = await request(requestOptions);
            const limited = graphqlRateLimit(requestOptions, response);
            if (limited) throw limited;
            return response;
          },
          limits,
          warn,
          what,
        );
      return isWrite(requestOptions) ? writes.run(key, send) : send();
    });
    return {};
  };
  return ProbotOctokit.plugin(plugin).defaults((options: { throttle?: object; retry?: object }) => ({
    ...options,
    throttle: { ...options.throttle, enabled: false },
    retry: { ...options.retry, doNotRetry: DO_NOT_RETRY },
  }));
}
