/**
 * What a failed check run says when the App could not judge a pull request: the reason in
 * one line and the delivery id (to find the delivery in the App's settings and the logs).
 * Messages are escaped and clipped; they come from GitHub's answers and the App's own errors,
 * and any credential-looking text in them is redacted first.
 */
import { markdownCode, markdownTextWithin } from '../../core/render/safe-text.js';
import { statusOf } from '../../adapters/github/index.js';
import type { CheckRunResult } from '../evaluation/check-run.js';

const REASON_MAX_CHARS = 1000;

/**
 * Credentials that an error message could carry (a client library that prints the request it
 * failed, headers included): GitHub tokens, JWTs and Authorization values. Belt and braces: the
 * App's own messages never contain them (DESIGN.md invariant 11).
 */
const CREDENTIALS = [
  /\b(?:gh[pousr]_[A-Za-z0-9_]{8,}|github_pat_[A-Za-z0-9_]{8,})/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
  /\b(authorization\W{0,4})(?:token|bearer|basic)\s+[^\s"'\\,}]+/gi,
];

export function redactCredentials(text: string): string {
  return CREDENTIALS.reduce(
    (out, pattern) => out.replace(pattern, (_match, prefix?: string) => `${typeof prefix === 'string' ? prefix : ''}[redacted]`),
    text,
  );
}

/** Why something failed, in one plain line for the logs: GitHub's status if any, credentials redacted. */
export function plainReasonOf(error: unknown): string {
  const status = statusOf(error);
  const message = redactCredentials(error instanceof Error ? error.message : String(error));
  return status !== undefined && !message.includes(String(status)) ? `GitHub answered ${status}: ${message}` : message;
}

/** The same, escaped and clipped for a check run's Markdown. */
export function reasonOf(error: unknown): string {
  return markdownTextWithin(plainReasonOf(error), REASON_MAX_CHARS);
}

export function failedCheck(headSha: string, error: unknown, deliveryId: string): CheckRunResult {
  return {
    headSha,
    conclusion: 'failure',
    title: 'The approval check could not run',
    summary: [
      '## The approval check could not run',
      '',
      `Reason: ${reasonOf(error)}`,
      '',
      `Delivery: ${markdownCode(deliveryId)}`,
      '',
      'Nothing was approved. Re-run the check, or push a new commit, to try again; ' +
        'if it keeps failing, give the delivery id to the platform team.',
    ].join('\n'),
  };
}
