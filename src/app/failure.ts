/**
 * What a failed check run says when the App could not judge a pull request: the reason in
 * one line and the delivery id (to find the delivery in the App's settings and the logs).
 * Messages are escaped and clipped; they come from GitHub's answers and the App's own errors,
 * never from request headers, so no token can appear.
 */
import { escapeMarkdown } from '../core/approvals/index.js';
import { clip } from '../core/approvals/escape.js';
import { statusOf } from '../adapters/github/index.js';
import type { CheckRunResult } from './check-run.js';

const REASON_MAX_CHARS = 1000;

export function reasonOf(error: unknown): string {
  const status = statusOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const text = status !== undefined && !message.includes(String(status)) ? `GitHub answered ${status}: ${message}` : message;
  return clip(escapeMarkdown(text), REASON_MAX_CHARS);
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
      `Delivery: \`${escapeMarkdown(deliveryId).replace(/`/g, '')}\``,
      '',
      'Nothing was approved. Re-run the check, or push a new commit, to try again; ' +
        'if it keeps failing, give the delivery id to the platform team.',
    ].join('\n'),
  };
}
