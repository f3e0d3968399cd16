/** How long the App's Octokit waits for each kind of rate-limit answer (src/app/hosting/octokit.ts), and what it never retries. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, rateLimitWaitMs, withRateLimitRetries } from '../../../src/app/hosting/octokit.js';

const NOW = Date.parse('2026-12-04T12:00:00Z');
const answer = (status: number, headers: Record<string, string>, message = 'Forbidden') =>
  Object.assign(new Error(message), { status, response: { headers } });

describe('rateLimitWaitMs', () => {
  it('retry-after in seconds or as an HTTP date; x-ratelimit-reset plus one second; a secondary limit without a wait: one minute', () => {
    expect(rateLimitWaitMs(answer(403, { 'retry-after': '30' }), NOW)).toBe(30_000);
    expect(rateLimitWaitMs(answer(429, { 'retry-after': new Date(NOW + 5000).toUTCString() }), NOW)).toBe(5000);
    expect(rateLimitWaitMs(answer(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 10) }), NOW)).toBe(11_000);
    expect(rateLimitWaitMs(answer(403, {}, 'You have exceeded a secondary rate limit.'), NOW)).toBe(60_000);
  });

  it('not a rate limit: a 403 for a permission, a 404, a 500, anything without a status', () => {
    expect(rateLimitWaitMs(answer(403, {}, 'Resource not accessible by integration'), NOW)).toBeUndefined();
    expect(rateLimitWaitMs(answer(403, { 'x-ratelimit-remaining': '12' }), NOW)).toBeUndefined();
    expect(rateLimitWaitMs(answer(404, { 'retry-after': '1' }), NOW)).toBeUndefined();
    expect(rateLimitWaitMs(answer(500, { 'retry-after': '1' }), NOW)).toBeUndefined();
    expect(rateLimitWaitMs(new Error('socket hang up'), NOW)).toBeUndefined();
  });
});

describe('withRateLimitRetries', () => {
  it('a quota that resets in an hour is not waited for: the error says why, with no wait', async () => {
    const sleeps: number[] = [];
    const limits = { ...DEFAULT_LIMITS, now: () => NOW, sleep: async (ms: number) => void sleeps.push(ms) };
    const limited = answer(
      403,
      { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 3600) },
      'API rate limit exceeded',
    );
    await expect(
      withRateLimitRetries(
        () => Promise.reject(limited),
        limits,
        () => {},
        'GET /x',
      ),
    ).rejects.toThrow(/gave up after 0 retries; it asked to wait 3601 s more, over the 60 s allowed/);
    expect(sleeps).toEqual([]);
  });

  it('the total wait is bounded: 25 s, 25 s, then a third 25 s would pass 60 s', async () => {
    const sleeps: number[] = [];
    const limits = { ...DEFAULT_LIMITS, now: () => NOW, sleep: async (ms: number) => void sleeps.push(ms) };
    let tries = 0;
    const send = () => {
      tries++;
      return Promise.reject(answer(429, { 'retry-after': '25' }));
    };
    await expect(withRateLimitRetries(send, limits, () => {}, 'GET /x')).rejects.toThrow(/gave up after 2 retries/);
    expect(sleeps).toEqual([25_000, 25_000]);
    expect(tries).toBe(3);
  });
});
