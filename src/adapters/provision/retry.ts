/**
 * When to try a webhook again, and how long to wait first.
 *
 * Ours, not a library's: @octokit/plugin-retry retries Octokit requests to GitHub, not fetch to
 * a receiver; p-retry 9 needs Node >= 22, and no version waits for a Retry-After the server
 * names, gives up when that wait is too long, or counts attempts into a result that never
 * throws, so the loop in webhook.ts would stay and only these few lines would go.
 */

export interface RetryTiming {
  /** First backoff delay; each retry doubles it. Default 500 ms. */
  baseDelayMs?: number;
  /** Upper bound of a backoff delay. Default 30 s. */
  maxDelayMs?: number;
  /** The longest Retry-After this job waits for; longer ones give up. Default 60 s. */
  maxRetryAfterMs?: number;
  /** Random numbers in [0, 1) for the jitter (tests pin it). */
  random?: () => number;
}

export const RETRY_DEFAULTS = { baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 } as const;

/** 408, 429 and every 5xx may succeed later; any other 4xx will not. */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so retries
 * from many merges spread out but never come back at once.
 */
export function backoffMs(retry: number, timing: RetryTiming = {}): number {
  const base = timing.baseDelayMs ?? RETRY_DEFAULTS.baseDelayMs;
  const max = timing.maxDelayMs ?? RETRY_DEFAULTS.maxDelayMs;
  const exp = Math.min(max, base * 2 ** retry);
  return Math.round(exp / 2 + (timing.random ?? Math.random)() * (exp / 2));
}

/** Retry-After as milliseconds: delay-seconds or an HTTP date (RFC 9110 section 10.2.3); undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
